import { AppError } from '../../lib/app-error.ts';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.ts';

/** Every response key starts with this; the rest is `<namespace>:<sha256 hex>`. */
const CACHE_KEY_ROOT = 'sps:resp:';

/**
 * Part of the hashed material, bumped whenever that material or the stored entry changes, so entries
 * of an older format stop matching instead of being misread (ADR 0033).
 */
const KEY_FORMAT_VERSION = 2;

/** Everything that can change the answer. Anything left out here would serve one request's answer to another. */
export interface CacheKeyInput {
  /** The prompt as the request's preprocessing left it (normalized, redacted when asked); hashed as given. */
  prompt: string;
  /** Lower-case the prompt before hashing; off by default because case can change answers. */
  lowercase?: boolean;
  /** `schemaHash` of the schema the answer had to satisfy: its canonical JSON's, so key order does not matter. */
  schemaHash: string;
  /** Namespace for invalidation (`invoice_*`): the schema's name, `default` when absent. */
  schemaName?: string;
  /** Only when the caller pinned them: an `auto` route may answer from any provider. */
  provider?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  /** `strict`, `relaxed`, …: a relaxed answer must never satisfy a strict request. */
  validationMode?: string;
  /** Further answer-changing options (system prompt version, language hint, …). */
  extra?: Record<string, unknown>;
}

export interface CacheKey {
  namespace: string;
  /** SHA-256 hex of the canonical key material. */
  hash: string;
  /** `sps:resp:<namespace>:<hash>`: the key in every store. */
  text: string;
}

/**
 * Namespaces end up inside keys and glob patterns: keep them to a safe alphabet (no `:`, which
 * separates key parts, and no glob characters).
 */
function toNamespace(schemaName: string | undefined): string {
  const cleaned = (schemaName ?? '').replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 100);
  return cleaned === '' ? 'default' : cleaned;
}

/** What the key hashes, as a plain object; absent options are left out of its canonical JSON. */
function keyMaterial(input: CacheKeyInput): Record<string, unknown> {
  return {
    v: KEY_FORMAT_VERSION,
    prompt: input.lowercase ? input.prompt.toLowerCase() : input.prompt,
    lowercase: input.lowercase === true,
    schemaHash: input.schemaHash,
    provider: input.provider && input.provider !== 'auto' ? input.provider : undefined,
    model: input.model,
    temperature: input.temperature,
    maxTokens: input.maxTokens,
    validationMode: input.validationMode,
    extra: input.extra,
  };
}

export function buildCacheKey(input: CacheKeyInput): CacheKey {
  const namespace = toNamespace(input.schemaName);
  const hash = sha256Hex(canonicalJson(keyMaterial(input)));
  return { namespace, hash, text: `${CACHE_KEY_ROOT}${namespace}:${hash}` };
}

const NAMESPACE_PATTERN = /^[A-Za-z0-9_.@*?-]{1,100}$/;

/**
 * `invoice_*` (a glob over namespaces, `*` and `?` only) → the glob over keys the stores delete.
 * Rejects anything else so a pattern cannot reach outside the response keys.
 */
export function namespacePatternToKeyPattern(pattern: string): string {
  if (!NAMESPACE_PATTERN.test(pattern)) {
    throw new AppError(
      'validation_error',
      'pattern may contain only letters, digits, "_", ".", "@", "-" and the wildcards "*" and "?"',
      { context: { pattern } },
    );
  }
  return `${CACHE_KEY_ROOT}${pattern}:*`;
}
