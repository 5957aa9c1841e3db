import { AnalyzeResponse } from '@structured-prompt/contracts';
import fc from 'fast-check';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { splicedAnalyzeSerializer } from './analyze-serializer.ts';
import { answerDataJson } from './answer-json.ts';

const whole = fastJson(AnalyzeResponse) as (payload: unknown) => string;

/** The contract's own example, with an answer that needs escaping and a failed attempt listed. */
const example = (AnalyzeResponse as { examples?: AnalyzeResponse[] }).examples![0]!;

function response(changes: Partial<AnalyzeResponse>): AnalyzeResponse {
  return {
    ...example,
    data: { intent: 'translate', entities: [{ type: 'language', value: 'French' }], note: 'é "q" \n' },
    failed_attempts: [{ provider: 'openai', model: 'gpt-4o-mini', reason: 'timeout' }],
    warnings: ['w'],
    ...changes,
  };
}

describe('the analyze answer serializer', () => {
  it('writes the text the whole-schema serializer writes, cached or not', () => {
    const spliced = splicedAnalyzeSerializer(whole);
    const shared = { total: 12.5, items: ['a', 'b'] };
    const cases = [
      response({}),
      response({ request_id: 'client "id" \u2028 with escapes' }),
      response({ cached: true, data: shared, validation: { status: 'passed', errors: [], attempts: 0 } }),
      response({ cached: true, data: shared, request_id: 'second hit' }),
      response({ data: [1, 'two', { three: null }] }),
      // Extra properties are dropped from the fixed fields, as fast-json-stringify does.
      { ...response({}), internal: 'not in the schema' } as AnalyzeResponse,
    ];
    for (const payload of cases) expect(spliced(payload)).toBe(whole(payload));
  });

  it('writes what the whole-schema serializer writes for any answer, usual or not', () => {
    const spliced = splicedAnalyzeSerializer(whole);
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    const count = fc.oneof(fc.nat(), fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true }));
    const amount = fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constant(0), fc.nat());
    const status = fc.constantFrom('passed', 'passed_relaxed', 'failed', 'skipped');
    const fieldError = fc.record({ path: text, message: text, keyword: fc.constantFrom('type', 'required') });
    const failed = fc.record({ provider: text, model: text, reason: text });
    // Empty lists most of the time: the hand-written path's case, which each run covers often.
    const mostlyEmpty = <T>(item: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant([] as T[]) }, { weight: 1, arbitrary: fc.array(item) });
    const answer = fc.record({
      request_id: text,
      data: fc.oneof(fc.dictionary(text, fc.jsonValue()), fc.array(fc.jsonValue())),
      validation: fc.record({ status, errors: mostlyEmpty(fieldError), attempts: count }),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      language: text,
      provider: text,
      model: text,
      cached: fc.boolean(),
      failed_attempts: mostlyEmpty(failed),
      usage: fc.record({
        prompt_tokens: count,
        completion_tokens: count,
        total_tokens: count,
        cost_usd: amount,
      }),
      timing: fc.record({ total_ms: amount, llm_ms: amount }),
      warnings: mostlyEmpty(text),
    });
    fc.assert(
      fc.property(answer, (payload) => {
        expect(spliced(payload)).toBe(whole(payload));
      }),
      { numRuns: 3000 },
    );
  });

  it('answers from the text kept for the answer object (the object is not serialized again)', () => {
    const spliced = splicedAnalyzeSerializer(whole);
    const data: Record<string, unknown> = { answer: 'first' };
    // A miss: the cache entry and the request log wrote the answer's text before the response.
    const kept = answerDataJson(data);
    // Nothing may change an answer once written; if something did, the kept text is what goes out.
    data.answer = 'changed';
    const miss = JSON.parse(spliced(response({ cached: false, data })));
    const hit = JSON.parse(spliced(response({ cached: true, data })));
    expect(kept).toBe('{"answer":"first"}');
    expect(miss.data).toEqual({ answer: 'first' });
    expect(hit.data).toEqual({ answer: 'first' });
  });

  it('leaves anything unusual to the whole-schema serializer', () => {
    const spliced = splicedAnalyzeSerializer(whole);
    for (const data of ['text', 42, null, true]) {
      const payload = response({ data });
      expect(spliced(payload)).toBe(whole(payload));
    }
    expect(() => spliced({ data: { a: 1 } })).toThrow(/required/);
  });
});
