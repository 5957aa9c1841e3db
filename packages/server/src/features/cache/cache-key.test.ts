import { describe, expect, it } from 'vitest';
import type { CacheKeyInput } from './cache-key.ts';
import {
  buildCacheKey,
  canonicalJson,
  namespacePatternToKeyPattern,
  normalizePrompt,
  sha256Hex,
} from './cache-key.ts';

const base: CacheKeyInput = {
  prompt: 'Extract the invoice total',
  schema: { kind: 'inline', schema: { type: 'object', properties: { total: { type: 'number' } } } },
};
const keyOf = (changes: Partial<CacheKeyInput>) => buildCacheKey({ ...base, ...changes }).text;

describe('normalizePrompt', () => {
  it('applies NFC, trims and collapses whitespace, keeps case unless asked', () => {
    expect(normalizePrompt('  Cafe\u0301 \t\n  au   lait \u00a0')).toBe('Café au lait');
    expect(normalizePrompt('Café', { lowercase: true })).toBe('café');
    expect(normalizePrompt('Café')).toBe('Café');
  });
});

describe('buildCacheKey', () => {
  it('has the documented shape and is deterministic', () => {
    const key = buildCacheKey({ ...base, schemaName: 'invoice_v2' });
    expect(key.text).toMatch(/^sps:resp:invoice_v2:[0-9a-f]{64}$/);
    expect(key).toEqual(buildCacheKey({ ...base, schemaName: 'invoice_v2' }));
    expect(buildCacheKey(base).namespace).toBe('default');
  });

  it('hashes exactly the canonical JSON of its material (the fast assembly is not a new format)', () => {
    const input: CacheKeyInput = {
      ...base,
      prompt: 'Résumé  of \u2028 "quoted" text',
      provider: 'openai',
      model: 'gpt-4o-mini',
      temperature: 0.2,
      validationMode: 'strict',
      extra: { zeta: [2, { b: 1, a: undefined }], alpha: 'x' },
    };
    const material = {
      v: 1,
      prompt: normalizePrompt(input.prompt),
      lowercase: false,
      schema: { hash: sha256Hex(canonicalJson((input.schema as { schema: unknown }).schema)) },
      provider: 'openai',
      model: 'gpt-4o-mini',
      temperature: 0.2,
      validationMode: 'strict',
      extra: input.extra,
    };
    expect(buildCacheKey(input).hash).toBe(sha256Hex(canonicalJson(material)));
    const { extra: _extra, ...withoutExtra } = input;
    const { extra: _none, ...materialWithoutExtra } = material;
    expect(buildCacheKey(withoutExtra).hash).toBe(sha256Hex(canonicalJson(materialWithoutExtra)));
  });

  it('writes every combination of fields as the canonical JSON would (absent ones left out)', () => {
    const variants: CacheKeyInput[] = [
      { ...base, lowercase: true, maxTokens: 256, template: { id: 'invoice', version: 3 } },
      { ...base, schema: { kind: 'registry', id: 'invoice "v2"', version: 7 }, provider: 'auto' },
      { ...base, provider: 'anthropic', temperature: 0, validationMode: 'relaxed', model: '' },
      { ...base, temperature: Number.NaN, maxTokens: 1, extra: { language: 'fr' } },
    ];
    for (const input of variants) {
      const material = {
        v: 1,
        prompt: normalizePrompt(input.prompt, { lowercase: input.lowercase }),
        lowercase: input.lowercase === true,
        schema:
          input.schema.kind === 'registry'
            ? { registry: `${input.schema.id}@${input.schema.version}` }
            : { hash: sha256Hex(canonicalJson(input.schema.schema)) },
        provider: input.provider === 'auto' ? undefined : input.provider,
        model: input.model,
        temperature: input.temperature,
        maxTokens: input.maxTokens,
        template: input.template ? `${input.template.id}@${input.template.version}` : undefined,
        validationMode: input.validationMode,
        extra: input.extra,
      };
      expect(buildCacheKey(input).hash).toBe(sha256Hex(canonicalJson(material)));
    }
  });

  it('writes scalar extras in canonical form, the same text as for nested ones', () => {
    const extras: Array<Record<string, unknown>> = [
      { metaPrompt: 'v2', language: 'auto', maxRepairAttempts: undefined },
      { metaPrompt: 'v2', language: 'fr', maxRepairAttempts: 3 },
      { b: true, a: null, é: 'ü "quoted"', c: 1.5e-7 },
      { z: Number.NaN, a: 1 },
      { nested: { b: 1, a: 2 }, a: 'x' },
      {},
    ];
    for (const extra of extras) {
      const material = {
        v: 1,
        prompt: normalizePrompt(base.prompt),
        lowercase: false,
        schema: { hash: sha256Hex(canonicalJson((base.schema as { schema: unknown }).schema)) },
        extra,
      };
      expect(buildCacheKey({ ...base, extra }).hash).toBe(sha256Hex(canonicalJson(material)));
    }
  });

  it('ignores differences normalization removes', () => {
    expect(keyOf({ prompt: '  Extract   the invoice\ntotal ' })).toBe(keyOf({}));
    expect(keyOf({ prompt: 'Cafe\u0301' })).toBe(keyOf({ prompt: 'Café' }));
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
    expect(keyOf({ schema: { kind: 'inline', schema: reordered } })).toBe(keyOf({}));
    const changed = { type: 'object', properties: { total: { type: 'string' } } };
    expect(keyOf({ schema: { kind: 'inline', schema: changed } })).not.toBe(keyOf({}));
    expect(keyOf({ schema: { kind: 'registry', id: 'invoice', version: 1 } })).not.toBe(
      keyOf({ schema: { kind: 'registry', id: 'invoice', version: 2 } }),
    );
  });

  it('changes with every answer-changing option', () => {
    const variants: Array<Partial<CacheKeyInput>> = [
      { temperature: 0 },
      { temperature: 0.7 },
      { maxTokens: 256 },
      { model: 'gpt-4o-mini' },
      { provider: 'openai' },
      { validationMode: 'relaxed' },
      { template: { id: 'tpl', version: 1 } },
      { template: { id: 'tpl', version: 2 } },
      { extra: { language: 'de' } },
    ];
    const keys = new Set([keyOf({}), ...variants.map(keyOf)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('treats an unpinned (`auto`) provider like no provider', () => {
    expect(keyOf({ provider: 'auto' })).toBe(keyOf({}));
  });

  it('keeps namespaces to a safe alphabet', () => {
    expect(buildCacheKey({ ...base, schemaName: 'a:b*c d' }).namespace).toBe('a_b_c_d');
    expect(buildCacheKey({ ...base, schemaName: '' }).namespace).toBe('default');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
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
