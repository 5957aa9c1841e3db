/**
 * Every machine-readable error code the service can answer with, and the HTTP status it maps to.
 * One table so the server, the SDK and the docs can never disagree about what a code means.
 */
export const errorCodes = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_error: { status: 400, title: 'Request validation failed' },
  invalid_json: { status: 400, title: 'Malformed JSON body' },
  invalid_schema: { status: 400, title: 'Invalid JSON Schema' },
  schema_answer_too_large: {
    status: 400,
    title: 'Schema requires a larger answer than the service produces',
  },
  unsupported_pattern: { status: 400, title: 'Regular expression not supported' },
  suspicious_input: { status: 400, title: 'Input blocked by policy' },
  webhook_url_refused: { status: 400, title: 'Webhook URL refused' },
  unauthorized: { status: 401, title: 'Authentication required' },
  budget_exceeded: { status: 402, title: 'Monthly budget exhausted' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  output_validation_failed: { status: 422, title: 'Output did not validate against the schema' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key used with another request' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  internal_error: { status: 500, title: 'Internal server error' },
  provider_error: { status: 502, title: 'Upstream provider failed' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  database_unavailable: { status: 503, title: 'Database unavailable' },
  provider_timeout: { status: 504, title: 'Upstream provider timed out' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCodes, value);
}

/** The `type` member of a problem document: a stable URN per code (RFC 9457 §3.1.1). */
export function problemType(code: ErrorCode): string {
  return `urn:structured-prompt:problem:${code}`;
}
