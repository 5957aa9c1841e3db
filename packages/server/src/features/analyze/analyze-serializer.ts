import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { AnalyzeResponse, ValidationStatus } from '@structured-prompt/contracts';
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { jsonString } from '../../lib/json-text.ts';
import { answerDataJson } from './answer-json.ts';

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
    const tail = usualTail(response) ?? serializeOthers(payload).slice(1);
    return `{"request_id":${jsonString(requestId)},"data":${dataText},${tail}`;
  };
}

/** The `validation.status` values the contract allows, read from its union of literals. */
const statuses: ReadonlySet<unknown> = new Set(ValidationStatus.anyOf.map((literal) => literal.const));

/**
 * The fields after `data` of the usual answer (no validation errors, no failed attempts, no warnings:
 * every cache hit that passed), written by hand; undefined for anything else, which fast-json-stringify
 * writes. Its text for these fields cost about 4,300 instructions per answer, mostly choosing the
 * branch of the `status` union with a schema check. The fields are written in the schema's order,
 * and only when each has its declared type, so the text is the one fast-json-stringify gives.
 */
function usualTail(response: Partial<AnalyzeResponse>): string | undefined {
  const { validation, usage, timing } = response;
  if (validation === undefined || usage === undefined || timing === undefined) return undefined;
  if (
    validation.errors?.length !== 0 ||
    response.failed_attempts?.length !== 0 ||
    response.warnings?.length !== 0 ||
    !statuses.has(validation.status) ||
    !Number.isInteger(validation.attempts) ||
    !Number.isFinite(response.confidence) ||
    typeof response.language !== 'string' ||
    typeof response.provider !== 'string' ||
    typeof response.model !== 'string' ||
    typeof response.cached !== 'boolean' ||
    !Number.isInteger(usage.prompt_tokens) ||
    !Number.isInteger(usage.completion_tokens) ||
    !Number.isInteger(usage.total_tokens) ||
    !Number.isFinite(usage.cost_usd) ||
    !Number.isFinite(timing.total_ms) ||
    !Number.isFinite(timing.llm_ms)
  )
    return undefined;
  return (
    `"validation":{"status":"${validation.status}","errors":[],"attempts":${validation.attempts}},` +
    `"confidence":${response.confidence},"language":${jsonString(response.language)},` +
    `"provider":${jsonString(response.provider)},"model":${jsonString(response.model)},` +
    `"cached":${response.cached},"failed_attempts":[],` +
    `"usage":{"prompt_tokens":${usage.prompt_tokens},"completion_tokens":${usage.completion_tokens},` +
    `"total_tokens":${usage.total_tokens},"cost_usd":${usage.cost_usd}},` +
    `"timing":{"total_ms":${timing.total_ms},"llm_ms":${timing.llm_ms}},"warnings":[]}`
  );
}
