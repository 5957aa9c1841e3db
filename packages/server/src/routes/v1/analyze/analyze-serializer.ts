import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { AnalyzeResponse } from '@structured-prompt/contracts';
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { jsonString } from '../../../lib/json-text.ts';
import { answerDataJson } from '../../../modules/analyze/answer-json.ts';

type Serialize = (payload: unknown) => string;
type RouteSchema = Parameters<FastifySerializerCompiler<unknown>>[0];

/**
 * The analyze route's serializer compiler: Fastify's own for every status, except that a 200 answer's
 * `data` is written from the text kept per answer (`answerDataJson`).
 *
 * `data` is free-form (`{}` in the schema), so fast-json-stringify hands it to `JSON.stringify`, which
 * V8 serializes on its general path: about 5,400 instructions for the bench's small answer, for an
 * object that is the same on every hit of an entry, and whose text a miss has already written into
 * the cache entry and the request log. So the response is written as the request id, the answer's
 * kept text, and fast-json-stringify's text for the remaining fields, in the schema's order. The
 * result is the text the whole-schema serializer gives (a unit test holds them equal).
 */
export function analyzeSerializerCompiler(
  externalSchemas: Record<string, unknown>,
): FastifySerializerCompiler<unknown> {
  const compile = SerializerSelector()(externalSchemas, {}) as (route: RouteSchema) => Serialize;
  return (route) => {
    const whole = compile(route);
    return route.httpStatus === '200' ? splicedAnalyzeSerializer(whole) : whole;
  };
}

export function splicedAnalyzeSerializer(whole: Serialize): Serialize {
  const { request_id: _requestId, data: _data, ...others } = AnalyzeResponse.properties;
  const serializeOthers = fastJson({
    type: 'object',
    properties: others,
    required: AnalyzeResponse.required.filter((name) => name !== 'request_id' && name !== 'data'),
  }) as Serialize;
  return (payload) => {
    const response = payload as Partial<AnalyzeResponse>;
    const { data, request_id: requestId } = response;
    // Anything unusual takes the whole-schema path, with its own checks and errors.
    if (typeof requestId !== 'string' || typeof data !== 'object' || data === null) return whole(payload);
    const dataText = answerDataJson(data);
    return `{"request_id":${jsonString(requestId)},"data":${dataText},${serializeOthers(payload).slice(1)}`;
  };
}
