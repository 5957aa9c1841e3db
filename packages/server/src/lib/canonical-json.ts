import { hash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

/**
 * JSON text with object keys sorted at every level, by UTF-16 code unit as RFC 8785 sorts them, so two
 * schemas that differ only in key order or whitespace share one text, hence one hash, cache entry and
 * compiled validator. Everything else is written as `JSON.stringify` writes it (ADR 0033).
 */
const stringify = configure({ deterministic: true, circularValue: Error });

export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** SHA-256 (hex) of a schema's canonical text: its identity for the response and validator caches. */
export function schemaHash(schema: unknown): string {
  return sha256Hex(canonicalJson(schema));
}
