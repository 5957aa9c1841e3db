/** What a vendor's error body says, in the shapes OpenAI, Anthropic and Google use. */
export interface VendorErrorBody {
  message?: string;
  type?: string;
  /** Google's `RetryInfo.retryDelay` ("30s", "1.5s") when the body carries one. */
  retryAfterMs?: number;
}

/**
 * Parses `{"error":{"message":…}}` (OpenAI and compatible servers), `{"type":"error","error":{…}}`
 * (Anthropic) and `{"error":{"status":…,"details":[{"retryDelay":"30s"}]}}` (Google).
 */
export function parseErrorBody(body: string | undefined): VendorErrorBody {
  if (!body) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { message: body.slice(0, 200) };
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error };
  if (error === null || typeof error !== 'object') return {};
  const record = error as Record<string, unknown>;
  const result: VendorErrorBody = {};
  if (typeof record.message === 'string') result.message = record.message;
  const type = record.type ?? record.status ?? record.code;
  if (typeof type === 'string') result.type = type;
  if (Array.isArray(record.details)) {
    for (const detail of record.details) {
      const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
      const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
      if (match) result.retryAfterMs = Math.round(Number(match[1]) * 1000);
    }
  }
  return result;
}

/**
 * `retry-after-ms` (OpenAI), then `retry-after` in seconds or as an HTTP date (RFC 9110 §10.2.3).
 * Header names arrive lower-cased from fetch.
 */
export function parseRetryAfter(
  headers: Record<string, string | readonly string[] | undefined> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const first = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : value?.[0];
  };
  const millisecondsText = first('retry-after-ms');
  const milliseconds = Number(millisecondsText);
  if (millisecondsText !== undefined && Number.isFinite(milliseconds) && milliseconds >= 0)
    return milliseconds;
  const value = first('retry-after');
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Vendor messages sometimes echo part of a key; logs and responses must never carry one. */
export function redactSecrets(message: string): string {
  return message
    .replace(/\b(sk|sk-ant|sk-proj|AIza|gsk|xai)[-_A-Za-z0-9]{8,}/g, '$1-[redacted]')
    .replace(/\b(key|token)=[^&\s]+/gi, '$1=[redacted]')
    .slice(0, 300);
}
