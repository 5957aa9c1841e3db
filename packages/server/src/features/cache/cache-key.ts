import type { JsonSchema } from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';
import { canonicalStringify as canonicalJson, schemaHash, sha256Hex } from '../../lib/canonical-json.ts';
import { jsonNumber, jsonString } from '../../lib/json-text.ts';
import { alreadyNormal } from '../analyze/preprocess/normalize-prompt.ts';

/** Every response key starts with this; the rest is `<namespace>:<sha256 hex>`. */
export const CACHE_KEY_ROOT = 'sps:resp:';

/**
 * Bumped whenever the hashed material or the cached entry format changes, so old entries simply stop
 * matching instead of being misread.
 */
const KEY_FORMAT_VERSION = 1;

/** The schema the answer had to satisfy: a registry reference when there is one, else the document. */
export type CacheKeySchema =
  | { kind: 'registry'; id: string; version: string | number }
  | { kind: 'inline'; schema: JsonSchema };

/** Everything that can change the answer. Anything left out here would serve one request's answer to another. */
export interface CacheKeyInput {
  prompt: string;
  /** Lower-case the prompt before hashing; off by default because case can change answers. */
  lowercase?: boolean;
  schema: CacheKeySchema;
  /** Namespace for invalidation (`invoice_*`): the schema's name, `default` when absent. */
  schemaName?: string;
  template?: { id: string; version: string | number };
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

/** Unicode NFC, trimmed, runs of whitespace collapsed to one space; lower-cased only when asked. */
export function normalizePrompt(prompt: string, options: { lowercase?: boolean } = {}): string {
  // Text the analyze preprocessing already normalized usually passes this check: nothing to change.
  const normalized = alreadyNormal.test(prompt) ? prompt : collapsePrompt(prompt);
  return options.lowercase ? normalized.toLowerCase() : normalized;
}

/** The key's normalization without the fast path. */
export function collapsePrompt(prompt: string): string {
  return prompt.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

// One canonical form for schemas and keys in the whole service (lib/canonical-json.ts).
export { canonicalJson, schemaHash, sha256Hex };

/**
 * Namespaces end up inside keys and glob patterns: keep them to a safe alphabet (no `:`, which
 * separates key parts, and no glob characters).
 */
export function toNamespace(schemaName: string | undefined): string {
  const cleaned = (schemaName ?? '').replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 100);
  return cleaned === '' ? 'default' : cleaned;
}

export function buildCacheKey(input: CacheKeyInput): CacheKey {
  const material = keyMaterial(input);
  const namespace = toNamespace(input.schemaName);
  const hash = sha256Hex(material);
  return { namespace, hash, text: `${CACHE_KEY_ROOT}${namespace}:${hash}` };
}

/**
 * The canonical JSON of the key material, written out field by field: every field but `extra` is a
 * scalar or a one-key object, so listing them in sorted order, each value through JSON.stringify and
 * absent ones left out, gives the text `canonicalJson` would (a unit test holds the two equal). It is
 * the text of every key already stored, so it must not change. JSON.stringify of the whole object
 * cost about 6,800 instructions per request on V8's general path; a few small strings cost a fraction.
 */
function keyMaterial(input: CacheKeyInput): string {
  const pinnedProvider = input.provider && input.provider !== 'auto' ? input.provider : undefined;
  const schema =
    input.schema.kind === 'registry'
      ? `{"registry":${jsonString(`${input.schema.id}@${input.schema.version}`)}}`
      : `{"hash":"${schemaHash(input.schema.schema)}"}`;
  let text = input.extra === undefined ? '{' : `{"extra":${canonicalExtra(input.extra)},`;
  text += `"lowercase":${input.lowercase === true}`;
  if (input.maxTokens !== undefined) text += `,"maxTokens":${jsonNumber(input.maxTokens)}`;
  if (input.model !== undefined) text += `,"model":${jsonString(input.model)}`;
  text += `,"prompt":${jsonString(normalizePrompt(input.prompt, { lowercase: input.lowercase }))}`;
  if (pinnedProvider !== undefined) text += `,"provider":${jsonString(pinnedProvider)}`;
  text += `,"schema":${schema}`;
  if (input.temperature !== undefined) text += `,"temperature":${jsonNumber(input.temperature)}`;
  if (input.template) {
    text += `,"template":${jsonString(`${input.template.id}@${input.template.version}`)}`;
  }
  text += `,"v":${KEY_FORMAT_VERSION}`;
  if (input.validationMode !== undefined) text += `,"validationMode":${jsonString(input.validationMode)}`;
  return `${text}}`;
}

/**
 * The canonical JSON of `extra`. The analyze service passes a few scalars (meta-prompt version,
 * language, repair attempts) on every request: those are written in sorted key order directly, which
 * is the text `canonicalJson` gives for them; anything nested goes through `canonicalJson` itself.
 */
function canonicalExtra(extra: Record<string, unknown>): string {
  let text = extraTexts.get(extra);
  if (text === undefined) {
    text = writeExtra(extra);
    extraTexts.set(extra, text);
  }
  return text;
}

/**
 * Texts of `extra` objects that callers reuse (the analyze service keeps one per option set), like
 * schema hashes are kept per schema object. Such objects must not be changed after their first key.
 */
const extraTexts = new WeakMap<object, string>();

function writeExtra(extra: Record<string, unknown>): string {
  const names = Object.keys(extra).sort();
  let text = '';
  for (const name of names) {
    const value = extra[name];
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object') return canonicalJson(extra);
    if (typeof value === 'number' && !Number.isFinite(value)) return canonicalJson(extra);
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol')
      return canonicalJson(extra);
    text += `${text === '' ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  return `{${text}}`;
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
