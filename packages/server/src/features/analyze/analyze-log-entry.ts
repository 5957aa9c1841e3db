import {
  type AnalyzeRequest,
  type AnalyzeResponse,
  requestedProvider,
  type SchemaUsed,
  type TemplateUse,
} from '@structured-prompt/contracts';
import { v7 as uuidv7 } from 'uuid';
import { toAppError } from '../../lib/app-error.ts';
import type { NewRequestLog } from '../../platform/request-log/request-logs.repository.ts';
import type { CacheOutcome } from '../cache/response-cache.service.ts';
import type { PromptRequest } from '../templates/template-expansion.ts';
import type { AnalyzeContext } from './analyze-context.ts';
import type { CachedAnswer } from './answer-generator.ts';

/**
 * When the request finished, and a row id from the process's monotonic UUID v7 sequence: the history
 * lists newest first by (created_at, id), so requests finished in the same millisecond keep their order
 * however the writer batches them.
 */
function stamp(): { id: string; createdAt: Date } {
  return { id: uuidv7(), createdAt: new Date() };
}

/** What the history, replay and erasure read besides the answer itself. */
export interface LogExtras {
  schemaHash: string;
  cacheKey: string;
  outcome: CacheOutcome<CachedAnswer>;
  /** false: the key or the service keeps no prompts; the prompt and answer are left out. */
  storePrompt: boolean;
  /** The registered schema version the answer had to satisfy, when the request named one. */
  registered?: SchemaUsed;
}

/** The history's `id@version` columns for the registered schema and the template a request used. */
function refColumns({ registered, template }: LogRefs): Pick<NewRequestLog, 'schemaRef' | 'templateRef'> {
  return {
    schemaRef: registered ? `${registered.id}@${registered.version}` : null,
    templateRef: template ? `${template.id}@${template.version}` : null,
  };
}

/**
 * The request as asked, without the prompt, so it can be replayed: pinned provider and model, sampling,
 * options and an inline schema. Keys are never part of a body, so none end up here.
 */
function requestOptions(body: AnalyzeRequest): Record<string, unknown> {
  const asked: Record<string, unknown> = { options: body.options ?? {} };
  const provider = requestedProvider(body);
  if (provider !== 'auto') asked.provider = provider;
  if (body.model !== undefined) asked.model = body.model;
  if (body.temperature !== undefined) asked.temperature = body.temperature;
  if (body.max_tokens !== undefined) asked.max_tokens = body.max_tokens;
  if (body.schema !== undefined) asked.schema = body.schema;
  if (body.schema_id !== undefined) asked.schema_id = body.schema_id;
  return asked;
}

/**
 * Each model call this request paid for (a cache hit, or a wait on an identical request in flight,
 * made none), the failures and the errors.
 */
function attemptsOf(response: AnalyzeResponse, outcome: CacheOutcome<CachedAnswer>) {
  const calls = outcome.cached || outcome.coalesced ? [] : (outcome.value.calls ?? []);
  return {
    calls: calls.map((call) => ({
      attempt: call.attempt,
      provider: call.provider,
      model: call.model,
      reason: call.attempt === 1 ? 'initial' : 'repair',
      prompt_tokens: call.promptTokens,
      completion_tokens: call.completionTokens,
      cost_usd: call.costUsd,
    })),
    failed: response.failed_attempts,
    validation_errors: response.validation.errors,
  };
}

/** The registered schema and the template a request used, when it named them. */
export interface LogRefs {
  registered?: SchemaUsed;
  template?: TemplateUse;
}

/** A request log's `request_params` for an analyze request: what was asked for, not the prompt. */
export function requestParams(
  body: AnalyzeRequest,
  failedAttempts?: readonly unknown[],
  refs: LogRefs = {},
): Record<string, unknown> {
  const params: Record<string, unknown> = {
    provider: requestedProvider(body),
    model: body.model ?? null,
    temperature: body.temperature ?? null,
    max_tokens: body.max_tokens ?? null,
    options: body.options ?? {},
    schema: schemaSource(body),
  };
  const { registered, template } = refs;
  // The registered schema version the answer had to satisfy; the reference as asked when it did not resolve.
  if (registered)
    Object.assign(params, {
      schema_id: registered.id,
      schema_name: registered.name,
      schema_version: registered.version,
    });
  else if (body.schema_id !== undefined) params.schema_ref = body.schema_id;
  // The template version that rendered the prompt; the reference asked for when it never rendered.
  if (template) params.template = template;
  else if (body.template_id !== undefined) params.template = { ref: body.template_id };
  // Which providers failed before the one that answered, for the log reader.
  if (failedAttempts !== undefined) params.failed_attempts = failedAttempts;
  return params;
}

function schemaSource(body: AnalyzeRequest): string {
  if (body.schema_id !== undefined) return 'registry';
  return body.schema === undefined ? 'default' : 'inline';
}

/** The log entry of an answered request; `promptText` is what was sent on (normalized, redacted). */
export function answeredLogEntry(
  body: PromptRequest,
  context: AnalyzeContext,
  promptText: string,
  response: AnalyzeResponse,
  extras: LogExtras,
): NewRequestLog {
  const { usage } = response;
  const { outcome, storePrompt } = extras;
  return {
    ...stamp(),
    requestId: context.requestId,
    apiKeyId: context.key.id,
    promptText: storePrompt ? promptText : null,
    promptLength: body.prompt.length,
    requestParams: requestParams(body, response.failed_attempts, {
      registered: extras.registered,
      template: response.template,
    }),
    ...refColumns({ registered: extras.registered, template: response.template }),
    responseData: storePrompt ? response.data : null,
    requestOptions: requestOptions(body),
    schemaHash: extras.schemaHash,
    cacheKey: extras.cacheKey,
    attempts: attemptsOf(response, outcome),
    attemptCount: response.validation.attempts,
    savedTokens: outcome.cached ? outcome.usage.totalTokens : 0,
    savedCostUsd: outcome.cached ? outcome.usage.costUsd : 0,
    validationStatus: response.validation.status,
    providerUsed: response.provider,
    model: response.model,
    processingTimeMs: response.timing.total_ms,
    tokensUsed: usage.total_tokens,
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    costUsd: usage.cost_usd,
    confidence: response.confidence,
    cached: response.cached,
  };
}

/** The log entry of a refused or failed request: no prompt, and the usage a 422 reports, if any. */
export function failedLogEntry(
  body: AnalyzeRequest,
  context: AnalyzeContext,
  error: unknown,
  totalMs: number,
  refs: LogRefs = {},
): NewRequestLog {
  const known = toAppError(error);
  const usage = (known?.extensions.usage ?? {}) as {
    prompt_tokens?: number;
    completion_tokens?: number;
    total_tokens?: number;
    cost_usd?: number;
  };
  return {
    ...stamp(),
    requestId: context.requestId,
    apiKeyId: context.key.id,
    promptText: null,
    promptLength: typeof body.prompt === 'string' ? body.prompt.length : 0,
    requestParams: requestParams(body, undefined, refs),
    ...refColumns(refs),
    requestOptions: requestOptions(body),
    attempts: { validation_errors: known?.extensions.errors ?? [] },
    validationStatus: known?.code === 'output_validation_failed' ? 'failed' : 'error',
    processingTimeMs: totalMs,
    tokensUsed: usage.total_tokens ?? 0,
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    costUsd: usage.cost_usd ?? 0,
    cached: false,
    errorMessage: context.stream?.signal.aborted
      ? 'cancelled: the client closed the stream before the answer'
      : known
        ? `${known.code}: ${known.message}`.slice(0, 500)
        : 'internal_error',
  };
}
