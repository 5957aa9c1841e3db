import type { RequestDetail, RequestStatus, RequestSummary } from '@structured-prompt/contracts';
import type { RequestLogRecord } from '../../platform/request-log/request-logs.repository.ts';

const previewChars = 120;

function statusOf(validationStatus: string): RequestStatus {
  if (validationStatus === 'failed') return 'validation_failed';
  if (validationStatus === 'error') return 'error';
  return 'success';
}

export function toSummary(record: RequestLogRecord): RequestSummary {
  return {
    request_id: record.requestId,
    created_at: record.createdAt.toISOString(),
    api_key_id: record.apiKeyId,
    status: statusOf(record.validationStatus),
    validation_status: record.validationStatus,
    provider: record.providerUsed,
    model: record.model,
    cached: record.cached,
    latency_ms: record.processingTimeMs,
    prompt_tokens: record.promptTokens,
    completion_tokens: record.completionTokens,
    cost_usd: record.costUsd,
    schema_ref: record.schemaRef,
    template_ref: record.templateRef,
    schema_hash: record.schemaHash,
    prompt_preview: record.promptText === null ? null : record.promptText.slice(0, previewChars),
    erased: record.erasedAt !== null,
  };
}

export function toDetail(record: RequestLogRecord): RequestDetail {
  const attempts = (record.attempts ?? {}) as { validation_errors?: unknown };
  return {
    ...toSummary(record),
    prompt: record.promptText,
    prompt_length: record.promptLength,
    options: record.requestOptions ?? record.requestParams,
    answer: record.responseData,
    attempts: record.attempts,
    validation_errors: Array.isArray(attempts.validation_errors) ? attempts.validation_errors : [],
    confidence: record.confidence,
    error: record.errorMessage,
    erased_at: record.erasedAt?.toISOString() ?? null,
  };
}
