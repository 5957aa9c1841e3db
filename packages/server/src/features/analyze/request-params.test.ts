import type { AnalyzeRequest } from '@structured-prompt/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestParams, requestParamsJson } from './request-params.ts';

describe('the request log’s request parameters', () => {
  const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 70 });
  const body = fc.record(
    {
      prompt: text,
      provider: text,
      llm_provider: text,
      model: text,
      temperature: fc.double({ min: 0, max: 2, noNaN: true }),
      max_tokens: fc.integer({ min: 1, max: 200_000 }),
      schema: fc.constant({ type: 'object' }),
      options: fc.oneof(
        fc.constant({}),
        fc.record({ pii: fc.constantFrom('off', 'redact'), cache_ttl: fc.nat() }, { requiredKeys: [] }),
      ),
    },
    { requiredKeys: ['prompt'] },
  ) as fc.Arbitrary<AnalyzeRequest>;
  const failed = fc.oneof(
    fc.constant([]),
    fc.array(fc.record({ provider: text, model: text, reason: text }), { minLength: 1, maxLength: 2 }),
  );

  it('as text, are the object’s JSON text; lists and options leave it to the object', () => {
    let written = 0;
    fc.assert(
      fc.property(body, failed, (request, attempts) => {
        const json = requestParamsJson(request, attempts);
        const object = requestParams(request, attempts);
        const usual = attempts.length === 0 && Object.keys(request.options ?? {}).length === 0;
        expect(json === undefined).toBe(!usual);
        if (json !== undefined) {
          written++;
          expect(json).toBe(JSON.stringify(object));
        }
      }),
      { numRuns: 2000 },
    );
    expect(written).toBeGreaterThan(100);
  });

  it('name the defaults when the request gives none', () => {
    expect(JSON.parse(requestParamsJson({ prompt: 'p' }, []) ?? 'null')).toEqual({
      provider: 'auto',
      model: null,
      temperature: null,
      max_tokens: null,
      options: {},
      schema: 'default',
      failed_attempts: [],
    });
    expect(requestParams({ prompt: 'p' })).not.toHaveProperty('failed_attempts');
  });
});
