import { describe, expect, it } from 'vitest';
import { schemaHash, sha256Hex } from '../../lib/canonical-json.ts';
import type { CacheKeyInput } from './cache-key.ts';
import { buildCacheKey, namespacePatternToKeyPattern } from './cache-key.ts';

const schema = { type: 'object', properties: { total: { type: 'number' } } };
const base: CacheKeyInput = { prompt: 'Extract the invoice total', schemaHash: schemaHash(schema) };
const keyOf = (changes: Partial<CacheKeyInput>) => buildCacheKey({ ...base, ...changes }).text;

describe('buildCacheKey', () => {
  it('has the documented shape and is deterministic', () => {
    const key = buildCacheKey({ ...base, schemaName: 'invoice_v2' });
    expect(key.text).toMatch(/^sps:resp:invoice_v2:[0-9a-f]{64}$/);
    expect(key).toEqual(buildCacheKey({ ...base, schemaName: 'invoice_v2' }));
    expect(buildCacheKey(base).namespace).toBe('default');
  });

  it('hashes the canonical JSON of the key material, format version 2', () => {
    // The format is written out here: a change to it must come with a new version number.
    const material =
      `{"extra":{"language":"fr","metaPrompt":"v2"},"lowercase":false,"maxTokens":256,"model":"gpt-4o-mini",` +
      `"prompt":"Résumé \\"quoted\\"\\nsecond line","provider":"openai","schemaHash":"${schemaHash(schema)}",` +
      `"temperature":0.2,"v":2,"validationMode":"strict"}`;
    const key = buildCacheKey({
      ...base,
      prompt: 'Résumé "quoted"\nsecond line',
      provider: 'openai',
      model: 'gpt-4o-mini',
      temperature: 0.2,
      maxTokens: 256,
      validationMode: 'strict',
      extra: { metaPrompt: 'v2', language: 'fr', maxRepairAttempts: undefined },
    });
    expect(key.hash).toBe(sha256Hex(material));
    const minimal = `{"lowercase":false,"prompt":"Extract the invoice total","schemaHash":"${schemaHash(schema)}","v":2}`;
    expect(buildCacheKey(base).hash).toBe(sha256Hex(minimal));
  });

  it('hashes the prompt as given: normalizing it is the preprocessing’s job', () => {
    expect(keyOf({ prompt: 'Extract the invoice\ntotal' })).not.toBe(keyOf({}));
    expect(keyOf({ prompt: 'Extract the invoice total' })).toBe(keyOf({}));
  });

  it('is case-sensitive unless lower-casing is enabled', () => {
    expect(keyOf({ prompt: 'EXTRACT the invoice total' })).not.toBe(keyOf({}));
    expect(keyOf({ prompt: 'EXTRACT the invoice total', lowercase: true })).toBe(
      keyOf({ prompt: 'extract the invoice total', lowercase: true }),
    );
    // An all-lowercase prompt must not share a key between the two modes.
    expect(keyOf({ prompt: 'abc', lowercase: true })).not.toBe(keyOf({ prompt: 'abc' }));
  });

  it('hashes schemas independently of key order but not of content', () => {
    const reordered = { properties: { total: { type: 'number' } }, type: 'object' };
    expect(keyOf({ schemaHash: schemaHash(reordered) })).toBe(keyOf({}));
    const changed = { type: 'object', properties: { total: { type: 'string' } } };
    expect(keyOf({ schemaHash: schemaHash(changed) })).not.toBe(keyOf({}));
  });

  it('changes with every answer-changing option', () => {
    const variants: Array<Partial<CacheKeyInput>> = [
      { temperature: 0 },
      { temperature: 0.7 },
      { maxTokens: 256 },
      { model: 'gpt-4o-mini' },
      { provider: 'openai' },
      { validationMode: 'relaxed' },
      { extra: { language: 'de' } },
      { extra: { language: 'de', maxRepairAttempts: 1 } },
    ];
    const keys = new Set([keyOf({}), ...variants.map(keyOf)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('treats an unpinned (`auto`) provider like no provider', () => {
    expect(keyOf({ provider: 'auto' })).toBe(keyOf({}));
  });

  it('takes prompts that are not well-formed UTF-16 without merging them with others', () => {
    expect(keyOf({ prompt: 'lone \uD800' })).not.toBe(keyOf({ prompt: 'lone \uFFFD' }));
  });

  it('keeps namespaces to a safe alphabet', () => {
    expect(buildCacheKey({ ...base, schemaName: 'a:b*c d' }).namespace).toBe('a_b_c_d');
    expect(buildCacheKey({ ...base, schemaName: '' }).namespace).toBe('default');
  });
});

describe('namespacePatternToKeyPattern', () => {
  it('turns a namespace glob into a key glob', () => {
    expect(namespacePatternToKeyPattern('invoice_*')).toBe('sps:resp:invoice_*:*');
    expect(namespacePatternToKeyPattern('*')).toBe('sps:resp:*:*');
  });

  it('rejects patterns that could reach other keys or use other glob syntax', () => {
    for (const pattern of ['', 'a:b', '[a]*', 'x\\*', 'a b', 'x'.repeat(101)]) {
      expect(() => namespacePatternToKeyPattern(pattern)).toThrow(/pattern may contain only/);
    }
  });
});
