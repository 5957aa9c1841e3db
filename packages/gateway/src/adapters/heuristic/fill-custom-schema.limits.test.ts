import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../spec/json-schema.ts';
import { loadLanguageDetector } from '../../text/language-detector.ts';
import { analyzePrompt } from './analyze-prompt.ts';
import { fillCustomSchema } from './fill-custom-schema.ts';
import { fitsString } from './schema-constraints.ts';

const languageDetector = await loadLanguageDetector();

function fill(prompt: string, schema: JsonSchema) {
  const { analysis, spans } = analyzePrompt(prompt, {
    now: new Date('2026-01-01T00:00:00Z'),
    languageDetector,
  });
  return fillCustomSchema(schema, { prompt, analysis, spans });
}

/** Everything the answer holds, as JSON characters: what building it cost in memory. */
const size = (value: unknown) => JSON.stringify(value).length;

/** An answer far larger than this was built from the schema's numbers, not bounded by the filler. */
const bounded = 2_000_000;

describe('fillCustomSchema: values built from schema numbers are bounded', () => {
  it('builds a bounded list for minItems 1,000,000,000 (the whole 187-byte request)', () => {
    const schema = {
      type: 'object',
      properties: { names: { type: 'array', items: { type: 'string' }, minItems: 1_000_000_000 } },
      required: ['names'],
    };
    const result = fill('list some names', schema);
    const names = (result.value as { names: unknown[] }).names;
    expect(Array.isArray(names)).toBe(true);
    expect(names.length).toBeGreaterThan(0);
    expect(size(result.value)).toBeLessThan(bounded);
  });

  it('pads a bounded string for minLength 3e8', () => {
    const schema = { type: 'object', properties: { s: { type: 'string', minLength: 3e8 } }, required: ['s'] };
    const result = fill('say something', schema);
    expect(typeof (result.value as { s: unknown }).s).toBe('string');
    expect(size(result.value)).toBeLessThan(bounded);
  });

  it('bounds nested minItems 100,000 × 100,000', () => {
    const schema = {
      type: 'array',
      minItems: 100_000,
      items: { type: 'array', minItems: 100_000, items: { type: 'integer' } },
    };
    expect(size(fill('numbers', schema).value)).toBeLessThan(bounded);
  });

  it('bounds a chain of definitions that each require ten of the next (10^11 leaves)', () => {
    const names = Array.from({ length: 10 }, (_, index) => `p${index}`);
    const $defs: Record<string, JsonSchema> = {};
    for (let level = 0; level < 11; level += 1) {
      const next = level === 10 ? { type: 'string' } : { $ref: `#/$defs/d${level + 1}` };
      $defs[`d${level}`] = {
        type: 'object',
        required: names,
        properties: Object.fromEntries(names.map((name) => [name, next])),
      };
    }
    const result = fill('anything', { $defs, $ref: '#/$defs/d0' });
    expect(size(result.value)).toBeLessThan(bounded);
  });

  it('tests a pathological pattern against the prompt on the linear-time engine', () => {
    const prompt = `${'a'.repeat(32)}b`;
    expect(fitsString(prompt, { pattern: '^(a|a)+$' })).toBeTypeOf('symbol');
    expect(fitsString('a'.repeat(32), { pattern: '^(a|a)+$' })).toBe('a'.repeat(32));
    const schema = {
      type: 'object',
      properties: { subject: { type: 'string', pattern: '^(a|a)+$' } },
      required: ['subject'],
    };
    const result = fill(prompt, schema);
    expect((result.value as { subject: unknown }).subject).not.toBe(prompt);
  });
});
