import { type AnalyzeRequest, requestedProvider } from '@structured-prompt/contracts';
import { jsonNumber, jsonString } from '../../lib/json-text.ts';

/** A request log's `request_params` for an analyze request: what was asked for, not the prompt. */
export function requestParams(
  body: AnalyzeRequest,
  failedAttempts?: readonly unknown[],
): Record<string, unknown> {
  const params: Record<string, unknown> = {
    provider: requestedProvider(body),
    model: body.model ?? null,
    temperature: body.temperature ?? null,
    max_tokens: body.max_tokens ?? null,
    options: body.options ?? {},
    schema: body.schema === undefined ? 'default' : 'inline',
  };
  // Which providers failed before the one that answered, for the log reader.
  if (failedAttempts !== undefined) params.failed_attempts = failedAttempts;
  return params;
}

/**
 * `requestParams(body, failedAttempts)` as JSON text, for the usual answered request: no options and
 * no failed attempts, so every value is a scalar. Undefined otherwise (the log then takes the object).
 *
 * Every answered request hands its log entry to the log thread. An object there costs a structured
 * clone of two objects and a list, the seven names included, on the event loop, and `JSON.stringify`
 * on the log thread; this text is one short string for both. It is the text `JSON.stringify` gives
 * for the object (a unit test holds the two equal).
 */
export function requestParamsJson(
  body: AnalyzeRequest,
  failedAttempts: readonly unknown[],
): string | undefined {
  if (failedAttempts.length !== 0 || !isEmptyOptions(body.options)) return undefined;
  const { model, temperature, max_tokens: maxTokens } = body;
  return (
    `{"provider":${jsonString(requestedProvider(body))},` +
    `"model":${model === undefined || model === null ? 'null' : jsonString(model)},` +
    `"temperature":${temperature === undefined || temperature === null ? 'null' : jsonNumber(temperature)},` +
    `"max_tokens":${maxTokens === undefined || maxTokens === null ? 'null' : jsonNumber(maxTokens)},` +
    `"options":{},"schema":"${body.schema === undefined ? 'default' : 'inline'}","failed_attempts":[]}`
  );
}

function isEmptyOptions(options: AnalyzeRequest['options']): boolean {
  if (options === undefined) return true;
  for (const name in options) if (Object.hasOwn(options, name)) return false;
  return true;
}
