import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { type ConfidenceInput, optionalFieldCompleteness, scoreConfidence } from './confidence.ts';
import type { Repair } from './lenient-parse.ts';

const schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    email: { type: 'string' },
    address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
  },
};

const fence: Repair = { kind: 'extraction', description: 'extracted from a code fence' };
const commas: Repair = { kind: 'syntax', description: 'removed trailing commas' };

const base: ConfidenceInput = {
  status: 'passed',
  attempts: 1,
  repairs: [],
  data: { name: 'Ada', email: 'ada@example.com', address: { city: 'London', zip: 'N1' } },
  schema,
};

describe('optionalFieldCompleteness', () => {
  it('counts optional fields filled, in nested objects too', () => {
    expect(optionalFieldCompleteness(schema, base.data)).toBe(1);
    expect(optionalFieldCompleteness(schema, { name: 'Ada' })).toBe(0);
    // email and address filled, city filled, zip empty: 3 of 4.
    expect(
      optionalFieldCompleteness(schema, { name: 'Ada', email: 'a@b.c', address: { city: 'x', zip: '' } }),
    ).toBe(0.75);
    expect(optionalFieldCompleteness(defaultOutputSchema, { intent: 'other' })).toBe(1);
  });

  it('follows array items', () => {
    const list = { type: 'array', items: { type: 'object', properties: { a: {}, b: {} } } };
    expect(optionalFieldCompleteness(list, [{ a: 1 }, { a: 1, b: null }])).toBe(0.5);
  });
});

describe('scoreConfidence', () => {
  it('is 1 for a valid, complete, first-try answer', () => {
    expect(scoreConfidence(base)).toBe(1);
  });

  it('orders outcomes: passed > skipped > passed_relaxed > failed', () => {
    const scores = (['passed', 'skipped', 'passed_relaxed', 'failed'] as const).map((status) =>
      scoreConfidence({ ...base, status }),
    );
    expect(scores).toEqual([1, 0.7, 0.6, 0.3]);
  });

  it('drops 15% per re-ask and for repaired syntax, 5% for a stripped code fence', () => {
    expect(scoreConfidence({ ...base, attempts: 3 })).toBe(0.722);
    expect(scoreConfidence({ ...base, repairs: [fence] })).toBe(0.95);
    expect(scoreConfidence({ ...base, repairs: [fence, commas] })).toBe(0.8);
  });

  it('drops 10% for picking one of several values, 15% for merging them, 10% per coercion down to 60%', () => {
    const selection: Repair = { kind: 'selection', description: 'used the 2nd value' };
    const merge: Repair = { kind: 'merge', description: 'merged two objects' };
    expect(scoreConfidence({ ...base, repairs: [selection] })).toBe(0.9);
    expect(scoreConfidence({ ...base, repairs: [commas, selection] })).toBe(0.72);
    expect(scoreConfidence({ ...base, repairs: [merge] })).toBe(0.85);
    expect(scoreConfidence({ ...base, coercions: ['coerced /a'] })).toBe(0.9);
    expect(scoreConfidence({ ...base, coercions: ['1', '2'] })).toBe(0.81);
    expect(scoreConfidence({ ...base, coercions: Array.from({ length: 9 }, String) })).toBe(0.6);
  });

  it('gives 15% of the score to optional-field completeness', () => {
    expect(scoreConfidence({ ...base, data: { name: 'Ada' } })).toBe(0.85);
  });

  it('blends in the provider token probability and applies the cap', () => {
    expect(scoreConfidence({ ...base, tokenProbability: 0.6 })).toBe(0.8);
    expect(scoreConfidence({ ...base, confidenceCap: 0.5 })).toBe(0.5);
    expect(scoreConfidence({ ...base, status: 'failed', confidenceCap: 0.5 })).toBe(0.3);
  });

  it('stays within 0..1 for out-of-range provider numbers', () => {
    expect(scoreConfidence({ ...base, tokenProbability: 7 })).toBe(1);
    expect(scoreConfidence({ ...base, tokenProbability: -1 })).toBe(0.5);
  });
});
