/** Label value every overflowing or unexpected input collapses to. */
export const otherLabel = 'other';

/** Longest label value kept; longer inputs are not names we configured. */
const maxLength = 64;
/** Names of providers, models and ids: anything else (spaces, quotes, slashes of URLs) is not one. */
const labelShape = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

/**
 * Keeps a label's value set small: Prometheus keeps one series per distinct value, so a label fed
 * from user input (a model name in a request body, a key id) must not grow without limit.
 *
 * With `allowed`, only those values pass. Otherwise the first `max` distinct well-formed values are
 * kept and later ones become `other` — stable for the life of the process, so a series never
 * changes meaning mid-scrape.
 */
export class BoundedLabel {
  readonly #allowed: ReadonlySet<string> | undefined;
  readonly #max: number;
  readonly #seen = new Set<string>();

  constructor(options: { max: number; allowed?: readonly string[] }) {
    this.#max = options.max;
    this.#allowed = options.allowed ? new Set(options.allowed) : undefined;
  }

  value(raw: string | undefined | null): string {
    if (raw === undefined || raw === null || raw === '') return otherLabel;
    if (this.#allowed) return this.#allowed.has(raw) ? raw : otherLabel;
    // A value kept before passed the shape check then: the common case is one set lookup.
    if (this.#seen.has(raw)) return raw;
    if (raw.length > maxLength || !labelShape.test(raw)) return otherLabel;
    if (this.#seen.size >= this.#max) return otherLabel;
    this.#seen.add(raw);
    return raw;
  }
}

/** The fixed vocabularies of labels fed from code paths that could pass anything. */
export const validationStatuses = ['passed', 'passed_relaxed', 'failed', 'skipped'] as const;
export const authFailureReasons = [
  'missing',
  'malformed',
  'unknown',
  'revoked',
  'expired',
  'metrics_token',
] as const;
export const limitKinds = ['ip', 'hourly', 'tokens', 'budget', 'auth_lockout'] as const;
export const suspiciousKinds = [
  'script_tag',
  'javascript_url',
  'event_handler',
  'sql_injection',
  'template_injection',
] as const;
/** ProviderError kinds; anything else is `other`. */
export const providerErrorKinds = [
  'timeout',
  'rate_limited',
  'server_error',
  'connection',
  'bad_request',
  'authentication',
  'malformed_response',
  'aborted',
  'circuit_open',
];
