import {
  type AnalyzeRequest,
  type AnalyzeResponse,
  requestedProvider,
  type TemplateUse,
} from '@structured-prompt/contracts';
import { toAppError } from '../../lib/app-error.ts';
import type { NewRequestLog } from '../../platform/request-log/request-logs.repository.ts';
import type { PromptRequest } from '../templates/template-expansion.ts';
import type { AnalyzeContext } from './analyze-context.ts';

/** A request log's `request_params` for an analyze request: what was asked for, not the prompt. */
export function requestParams(
  body: AnalyzeRequest,
  failedAttempts?: readonly unknown[],
  template?: TemplateUse,
): Record<string, unknown> {
  const params: Record<string, unknown> = {
    provider: requestedProvider(body),
    model: body.model ?? null,
    temperature: body.temperature ?? null,
    max_tokens: body.max_tokens ?? null,
    options: body.options ?? {},
    schema: body.schema === undefined ? 'default' : 'inline',
  };
  // The template version that rendered the prompt; the reference asked for when it never rendered.
  if (template) params.template = template;
  else if (body.template_id !== undefined) params.template = { ref: body.template_id };
  // Which providers failed before the one that answered, for the log reader.
  if (failedAttempts !== undefined) params.failed_attempts = failedAttempts;
  return params;
}

/** The log entry of an answered request; `promptText` is what was sent on (normalized, redacted). */
export function answeredLogEntry(
  body: PromptRequest,
  context: AnalyzeContext,
  promptText: string,
  response: AnalyzeResponse,
): NewRequestLog {
  const { usage } = response;
  return {
    requestId: context.requestId,
    apiKeyId: context.key.id,
    promptText,
    promptLength: body.prompt.length,
    requestParams: requestParams(body, response.failed_attempts, response.template),
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
  template?: TemplateUse,
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
    requestParams: requestParams(body, undefined, template),
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
