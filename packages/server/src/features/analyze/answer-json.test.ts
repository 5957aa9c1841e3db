import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerDataJson, type CachedAnswer, cachedAnswerFields, cachedAnswerJson } from './answer-json.ts';

/** A typical answer, its fields in the order the pipeline builds them. */
const answer: CachedAnswer = {
  data: { intent: 'translate', entities: [{ type: 'language', value: 'French' }], note: 'é "q" \n\u2028' },
  validation: { status: 'passed', errors: [], attempts: 1 },
  confidence: 0.93,
  provider: 'openai-compatible',
  model: 'bench-model',
  usage: { promptTokens: 250, completionTokens: 40, totalTokens: 290, costUsd: 0.000123 },
  llmMs: 16.4,
  warnings: [],
  failedAttempts: [],
  language: 'en',
};

describe('answer JSON texts', () => {
  it('writes a typical answer as the very text JSON.stringify gives', () => {
    expect(cachedAnswerJson(answer)).toBe(JSON.stringify(answer));
  });

  it('writes every field, and what it writes parses to what JSON.stringify gives for any answer', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const number = fc.oneof(fc.double(), fc.integer(), fc.constant(-0));
    const anyAnswer = fc.record({
      data: fc.jsonValue(),
      validation: fc.record({
        status: fc.constantFrom('passed', 'passed_relaxed', 'failed', 'skipped'),
        errors: fc.array(fc.record({ path: text, message: text, keyword: text }), { maxLength: 2 }),
        attempts: fc.nat(5),
      }),
      confidence: number,
      provider: text,
      model: text,
      usage: fc.record({
        promptTokens: fc.nat(),
        completionTokens: fc.nat(),
        totalTokens: fc.nat(),
        costUsd: number,
      }),
      llmMs: number,
      warnings: fc.array(text, { maxLength: 2 }),
      failedAttempts: fc.array(
        fc.record(
          { provider: text, model: text, kind: fc.constant('timeout'), message: text, costUsd: number },
          { requiredKeys: ['provider', 'model', 'kind', 'message'] },
        ),
        { maxLength: 2 },
      ),
      language: text,
    }) as fc.Arbitrary<CachedAnswer>;
    fc.assert(
      fc.property(anyAnswer, (value) => {
        const written = JSON.parse(cachedAnswerJson(value));
        expect(written).toEqual(JSON.parse(JSON.stringify(value)));
        expect(Object.keys(written)).toEqual([...cachedAnswerFields]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the data text per answer object, and writes other values as JSON.stringify does', () => {
    const data: Record<string, unknown> = { answer: 'first' };
    expect(answerDataJson(data)).toBe('{"answer":"first"}');
    // The text is kept: answers are never changed once written, and a change would not show.
    data.answer = 'changed';
    expect(answerDataJson(data)).toBe('{"answer":"first"}');
    expect(answerDataJson({ answer: 'changed' })).toBe('{"answer":"changed"}');
    for (const value of ['text', 42, null, true, Number.NaN]) {
      expect(answerDataJson(value)).toBe(JSON.stringify(value));
    }
    expect(answerDataJson(undefined)).toBe('null');
  });
});
