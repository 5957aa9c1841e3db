import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { AnalyzeRequest, AnalyzeResponse, requestedProvider } from './analyze.ts';

/** TypeBox keeps annotations on the schema object but not in its static type. */
function examplesOf(schema: object): unknown[] {
  return (schema as { examples?: unknown[] }).examples ?? [];
}

describe('AnalyzeRequest', () => {
  it('accepts its own examples, the seed case first', () => {
    expect(examplesOf(AnalyzeRequest)[0]).toEqual({ prompt: 'Translate Hello World to French' });
    for (const example of examplesOf(AnalyzeRequest)) expect(Value.Check(AnalyzeRequest, example)).toBe(true);
  });

  it.each([
    ['an empty prompt', { prompt: '' }],
    ['a prompt over 10,000 characters', { prompt: 'x'.repeat(10_001) }],
    ['a temperature above 2', { prompt: 'x', temperature: 2.5 }],
    ['an unknown validation mode', { prompt: 'x', options: { validation: 'lenient' } }],
    ['more than 10 repair attempts', { prompt: 'x', options: { max_repair_attempts: 11 } }],
    ['a confidence threshold above 1', { prompt: 'x', options: { confidence_threshold: 1.5 } }],
    ['an unknown pii mode', { prompt: 'x', options: { pii: 'mask' } }],
    ['a schema that is not an object', { prompt: 'x', schema: 'string' }],
    ['an unknown member', { prompt: 'x', prompts: [] }],
  ])('refuses %s', (_name, body) => {
    expect(Value.Check(AnalyzeRequest, body)).toBe(false);
  });

  it('accepts a boolean schema', () => {
    expect(Value.Check(AnalyzeRequest, { prompt: 'x', schema: true })).toBe(true);
    expect(Value.Check(AnalyzeRequest, { prompt: 'x', schema: false })).toBe(true);
  });

  it('accepts every option', () => {
    const body = {
      prompt: 'x',
      llm_provider: 'openai',
      model: 'gpt-x',
      temperature: 0,
      max_tokens: 100,
      options: {
        bypass_cache: true,
        cache_ttl: 60,
        validation: 'relaxed',
        max_repair_attempts: 0,
        confidence_threshold: 0.7,
        max_cost_usd: 0.01,
        language: 'fr',
        pii: 'redact',
      },
    };
    expect(Value.Check(AnalyzeRequest, body)).toBe(true);
  });
});

describe('requestedProvider', () => {
  it('prefers provider, then llm_provider, then auto', () => {
    expect(requestedProvider({ provider: 'a', llm_provider: 'b' })).toBe('a');
    expect(requestedProvider({ llm_provider: 'b' })).toBe('b');
    expect(requestedProvider({})).toBe('auto');
  });
});

describe('AnalyzeResponse', () => {
  it('accepts its example and requires the envelope members', () => {
    const example = examplesOf(AnalyzeResponse)[0];
    expect(Value.Check(AnalyzeResponse, example)).toBe(true);
    const { usage: _usage, ...withoutUsage } = example as Record<string, unknown>;
    expect(Value.Check(AnalyzeResponse, withoutUsage)).toBe(false);
    const { coalesced: _coalesced, ...withoutCoalesced } = example as Record<string, unknown>;
    expect(Value.Check(AnalyzeResponse, withoutCoalesced)).toBe(false);
  });
});
