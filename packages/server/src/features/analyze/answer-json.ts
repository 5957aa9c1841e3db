import { jsonNumber, jsonString } from '../../lib/json-text.ts';
import type { AnalyzePipelineResult } from './analyze-pipeline.ts';

/** What the response cache keeps for an answer: the pipeline's result and the answer's language. */
export type CachedAnswer = AnalyzePipelineResult & { language: string };

/**
 * An answer's `data` is written as JSON up to three times per request: into the cache entry, into
 * the request log and into the response. It is free-form, so each time `JSON.stringify` took V8's
 * general path, about 3,000 instructions for the bench's small answer. Its text is kept here per
 * object instead, written the first time any of them asks. That is safe because nothing changes an
 * answer after the pipeline returns it: the cache shares one parsed answer between all of its hits,
 * and would serve wrong answers if something did.
 */
const dataTexts = new WeakMap<object, string>();

export function answerDataJson(data: unknown): string {
  if (typeof data !== 'object' || data === null) return JSON.stringify(data) ?? 'null';
  let text = dataTexts.get(data);
  if (text === undefined) {
    text = JSON.stringify(data);
    dataTexts.set(data, text);
  }
  return text;
}

/** Every field of `CachedAnswer`: a field added to the type and not written below fails to compile. */
export const cachedAnswerFields = [
  'data',
  'validation',
  'confidence',
  'provider',
  'model',
  'usage',
  'llmMs',
  'warnings',
  'failedAttempts',
  'language',
] as const satisfies readonly (keyof CachedAnswer)[];
const everyFieldListed: Exclude<keyof CachedAnswer, (typeof cachedAnswerFields)[number]> extends never
  ? true
  : never = true;
void everyFieldListed;

/**
 * The cache entry's JSON text of an answer, written field by field: `JSON.stringify` of the whole
 * object cost about 15,000 instructions per cache miss on V8's general path (V8 13.6 has no fast
 * path for it). It parses to what `JSON.stringify` gives; a unit test holds the two equal.
 */
export function cachedAnswerJson(answer: CachedAnswer): string {
  const { validation, usage } = answer;
  return (
    `{"data":${answerDataJson(answer.data)},` +
    `"validation":{"status":${jsonString(validation.status)},"errors":${jsonList(validation.errors)},` +
    `"attempts":${jsonNumber(validation.attempts)}},` +
    `"confidence":${jsonNumber(answer.confidence)},` +
    `"provider":${jsonString(answer.provider)},"model":${jsonString(answer.model)},` +
    `"usage":{"promptTokens":${jsonNumber(usage.promptTokens)},` +
    `"completionTokens":${jsonNumber(usage.completionTokens)},` +
    `"totalTokens":${jsonNumber(usage.totalTokens)},"costUsd":${jsonNumber(usage.costUsd)}},` +
    `"llmMs":${jsonNumber(answer.llmMs)},"warnings":${jsonList(answer.warnings)},` +
    `"failedAttempts":${jsonList(answer.failedAttempts)},"language":${jsonString(answer.language)}}`
  );
}

/** The lists are empty on almost every answer. */
function jsonList(list: readonly unknown[]): string {
  return list.length === 0 ? '[]' : JSON.stringify(list);
}
