import {
  type AnalyzeRequest,
  type AnalyzeResponse,
  requestedProvider,
  type SchemaUsed,
  type TemplateUse,
} from '@structured-prompt/contracts';
import { toAppError } from '../../lib/app-error.ts';
import type { NewRequestLog } from '../../platform/request-log/request-logs.repository.ts';
import type { PromptRequest } from '../templates/template-expansion.ts';
import type { AnalyzeContext } from './analyze-context.ts';

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
  registered?: SchemaUsed,
): NewRequestLog {
  const { usage } = response;
  return {
    requestId: context.requestId,
    apiKeyId: context.key.id,
    promptText,
    promptLength: body.prompt.length,
    requestParams: requestParams(body, response.failed_attempts, { registered, template: response.template }),
    responseData: response.data,
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
    requestId: context.requestId,
    apiKeyId: context.key.id,
    promptText: null,
    promptLength: typeof body.prompt === 'string' ? body.prompt.length : 0,
    requestParams: requestParams(body, undefined, refs),
    validationStatus: known?.code === 'output_validation_failed' ? 'failed' : 'error',
    processingTimeMs: totalMs,
    tokensUsed: usage.total_tokens ?? 0,
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    costUsd: usage.cost_usd ?? 0,
    cached: false,
    errorMessage: known ? `${known.code}: ${known.message}`.slice(0, 500) : 'internal_error',
  };
}
