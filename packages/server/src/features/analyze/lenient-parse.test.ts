import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lenientParse, type Repair } from './lenient-parse.ts';

function descriptions(repairs: readonly Repair[]): string[] {
  return repairs.map((repair) => repair.description);
}

function value(text: string): unknown {
  const result = lenientParse(text);
  if (!result.ok) throw new Error(`expected to parse: ${result.reason}`);
  return result.value;
}

/** Prose a model puts around its JSON: no brackets, quotes or backticks, which would be JSON-ish. */
const prose = fc.string({
  unit: fc.constantFrom(...'abcdefghij XYZ.,:!?\n\t-éß日本'.split('')),
  maxLength: 40,
});
const whitespace = fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\r'), maxLength: 5 });
const fenceLanguage = fc.constantFrom('', 'json', 'JSON', 'jsonc', 'javascript');
const layout = fc.constantFrom(undefined, 2, '\t');

describe('lenientParse', () => {
  it('parses plain JSON without calling it repaired', () => {
    expect(lenientParse('{"a": [1, 2]}')).toEqual({
      ok: true,
      value: { a: [1, 2] },
      repaired: false,
      repairs: [],
      wellFormed: true,
      coercions: [],
      errors: [],
    });
  });

  it('extracts JSON from a code fence and from prose around it', () => {
    expect(lenientParse('Sure!\n```json\n{"a": 1}\n```\nAnything else?')).toMatchObject({
      ok: true,
      value: { a: 1 },
      repaired: true,
      repairs: [{ kind: 'extraction', description: 'extracted from a code fence' }],
    });
    expect(lenientParse('Here is the result: {"a": {"b": "}"}} Hope it helps.')).toMatchObject({
      ok: true,
      value: { a: { b: '}' } },
      repairs: [{ kind: 'extraction', description: 'extracted from surrounding text' }],
    });
  });

  it.each([
    ['trailing commas', '{"a": [1, 2,], "b": 3,}', { a: [1, 2], b: 3 }, 'removed trailing commas'],
    ['single quotes', "{'a': 'it is'}", { a: 'it is' }, 'replaced single quotes'],
    ['comments', '{"a": 1 // one\n, /* two */ "b": 2}', { a: 1, b: 2 }, 'removed comments'],
    ['unquoted keys', '{a: 1, b_2: "x"}', { a: 1, b_2: 'x' }, 'quoted unquoted keys'],
    [
      'truncation',
      '{"a": [1, 2], "b": "unfinish',
      { a: [1, 2], b: 'unfinish' },
      'completed truncated output',
    ],
  ])('repairs %s', (_name, text, expected, repair) => {
    const result = lenientParse(text);
    expect(result).toMatchObject({ ok: true, value: expected, repaired: true });
    expect(result.ok && descriptions(result.repairs)).toContain(repair);
  });

  it('repairs inside a fence that was cut off', () => {
    expect(lenientParse('```json\n{"items": ["a", "b"')).toMatchObject({
      ok: true,
      value: { items: ['a', 'b'] },
      repairs: [
        { kind: 'extraction', description: 'extracted from a code fence' },
        { kind: 'syntax', description: 'completed truncated output' },
      ],
    });
  });

  it('keeps backticks inside JSON strings', () => {
    expect(value('```json\n{"code": "```js\\nx()\\n```"}\n```')).toEqual({ code: '```js\nx()\n```' });
  });

  it('reports what it cannot parse', () => {
    expect(lenientParse('')).toEqual({ ok: false, reason: 'the answer is empty' });
    expect(lenientParse('I cannot help with that.').ok).toBe(false);
  });

  it('survives absurd nesting', () => {
    expect(lenientParse('['.repeat(100_000)).ok).toBeTypeOf('boolean');
  });

  it('property: any JSON value, fenced or surrounded by whitespace, parses back to itself', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        layout,
        fenceLanguage,
        whitespace,
        whitespace,
        fc.boolean(),
        (json, indent, lang, before, after, fenced) => {
          const body = JSON.stringify(json, null, indent);
          const text = fenced
            ? `${before}\`\`\`${lang}\n${body}\n\`\`\`${after}`
            : `${before}${body}${after}`;
          expect(value(text)).toEqual(JSON.parse(body));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: any object or array between prose, fenced or not, parses back to itself', () => {
    const container = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()));
    fc.assert(
      fc.property(container, layout, prose, prose, fc.boolean(), (json, indent, before, after, fenced) => {
        const body = JSON.stringify(json, null, indent);
        const text = fenced
          ? `${before}\n\`\`\`json\n${body}\n\`\`\`\n${after}`
          : `${before} ${body} ${after}`;
        expect(value(text)).toEqual(JSON.parse(body));
      }),
      { numRuns: 500 },
    );
  });

  it('property: no input makes it throw', () => {
    const jsonish = fc.string({
      unit: fc.constantFrom(...'{}[]",:\'`/*\\ \nabc01-.eE'.split('')),
      maxLength: 80,
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), jsonish), (text) => {
        const result = lenientParse(text);
        expect(typeof result.ok).toBe('boolean');
        // The value is plain JSON data (JSON.stringify of -0 is "0", so compare texts).
        if (result.ok)
          expect(JSON.stringify(JSON.parse(JSON.stringify(result.value)))).toBe(JSON.stringify(result.value));
      }),
      { numRuns: 2000 },
    );
  });
});
