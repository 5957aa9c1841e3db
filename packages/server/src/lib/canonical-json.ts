import { hash } from 'node:crypto';

/**
 * JSON text with object keys sorted at every level, so two schemas that differ only in key order
 * (or whitespace) get the same text and therefore the same hash, cache entry and compiled validator.
 * Follows JSON.stringify for everything else: `undefined` and functions are dropped from objects and
 * become `null` in arrays, non-finite numbers become `null`, `toJSON` is honoured.
 */
export function canonicalStringify(value: unknown): string {
  return stringifyValue(value, false) ?? 'null';
}

function stringifyValue(value: unknown, inArray: boolean): string | undefined {
  let current = value;
  if (
    current !== null &&
    typeof current === 'object' &&
    typeof (current as { toJSON?: unknown }).toJSON === 'function'
  ) {
    current = (current as { toJSON: () => unknown }).toJSON();
  }
  if (current === null) return 'null';
  switch (typeof current) {
    case 'string':
    case 'boolean':
      return JSON.stringify(current);
    case 'number':
      return Number.isFinite(current) ? JSON.stringify(current) : 'null';
    case 'bigint':
      throw new TypeError('canonicalStringify: BigInt is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? 'null' : undefined;
  }
  if (Array.isArray(current)) {
    return `[${current.map((item) => stringifyValue(item, true)).join(',')}]`;
  }
  const record = current as Record<string, unknown>;
  const parts: string[] = [];
  // Code-unit order, like every other canonical JSON scheme (RFC 8785 sorts by UTF-16 units too).
  for (const key of Object.keys(record).sort()) {
    const text = stringifyValue(record[key], false);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** One-shot `crypto.hash`: no Hash object per call, which counts on every request's cache key. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

// Schemas that live for the whole process (the default schema) are hashed once, not on every request.
const hashesByObject = new WeakMap<object, string>();

/**
 * SHA-256 (hex) of the canonical text: the identity of a schema for the response cache, the validator
 * cache and logs. Memoized per object, so callers must not mutate a schema after hashing it (the
 * service never does: request schemas are fresh objects, the default schema is frozen in spirit).
 */
export function schemaHash(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return sha256Hex(canonicalStringify(schema));
  let known = hashesByObject.get(schema);
  if (known === undefined) {
    known = sha256Hex(canonicalStringify(schema));
    hashesByObject.set(schema, known);
  }
  return known;
}
