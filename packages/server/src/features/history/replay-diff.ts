import type { AnalyzeResponse, ReplayDiff } from '@structured-prompt/contracts';
import diff from 'microdiff';
import type { RequestLogRecord } from '../../platform/request-log/request-logs.repository.ts';

const maxChangedFields = 200;

/** RFC 6901 JSON Pointer of a microdiff path. */
function pointer(path: readonly (string | number)[]): string {
  return path.map((part) => `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The answers' differences field by field (both sides are JSON values, so no cycles or classes). */
function changedFields(before: unknown, after: unknown): ReplayDiff['changed_fields'] {
  const isContainer = (value: unknown) => typeof value === 'object' && value !== null;
  if (!isContainer(before) || !isContainer(after)) {
    return JSON.stringify(before) === JSON.stringify(after)
      ? []
      : [{ path: '', change: 'changed', before, after }];
  }
  return diff(before as Record<string, unknown>, after as Record<string, unknown>)
    .slice(0, maxChangedFields)
    .map((entry) => {
      const path = pointer(entry.path);
      if (entry.type === 'CREATE') return { path, change: 'added' as const, after: entry.value };
      if (entry.type === 'REMOVE') return { path, change: 'removed' as const, before: entry.oldValue };
      return { path, change: 'changed' as const, before: entry.oldValue, after: entry.value };
    });
}

const numberChange = (before: number, after: number) => ({
  before,
  after,
  delta: Math.round((after - before) * 1e9) / 1e9,
});

/** How a replay's answer differs from the stored one: fields, validation, route, cost and latency. */
export function replayDiff(stored: RequestLogRecord, replay: AnalyzeResponse): ReplayDiff {
  const fields = changedFields(stored.responseData, replay.data);
  return {
    identical_answer: fields.length === 0,
    changed_fields: fields,
    validation_status: { before: stored.validationStatus, after: replay.validation.status },
    provider: { before: stored.providerUsed, after: replay.provider },
    model: { before: stored.model, after: replay.model },
    cost_usd: numberChange(stored.costUsd, replay.usage.cost_usd),
    latency_ms: numberChange(stored.processingTimeMs, replay.timing.total_ms),
    total_tokens: numberChange(stored.tokensUsed, replay.usage.total_tokens),
  };
}
