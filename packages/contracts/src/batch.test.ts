import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { AnalyzeRequest } from './analyze.ts';
import { BatchDefaults, BatchItem, BatchRequest, BatchResponse } from './batch.ts';

function examplesOf(schema: object): unknown[] {
  return (schema as { examples?: unknown[] }).examples ?? [];
}

/** Every `default` keyword in a schema, by path (field names under `properties` excluded). */
function defaultKeywords(value: unknown, path = '', inProperties = false): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, member]) => [
    ...(!inProperties && name === 'default' ? [path] : []),
    ...defaultKeywords(member, `${path}/${name}`, name === 'properties' && !inProperties),
  ]);
}

describe('BatchRequest', () => {
  it('accepts its examples', () => {
    expect(examplesOf(BatchRequest).length).toBeGreaterThan(0);
    for (const example of examplesOf(BatchRequest)) expect(Value.Check(BatchRequest, example)).toBe(true);
  });

  it('takes every analyze field in an item, and every one but the prompt in the defaults', () => {
    const analyzeFields = Object.keys(AnalyzeRequest.properties).sort();
    expect(Object.keys(BatchItem.properties).sort()).toEqual(analyzeFields);
    expect(BatchItem.required).toEqual(AnalyzeRequest.required);
    expect(Object.keys(BatchDefaults.properties).sort()).toEqual(
      analyzeFields.filter((field) => field !== 'prompt'),
    );
    expect(BatchDefaults.required ?? []).toEqual([]);
  });

  it('carries no default values that validation would write into the items', () => {
    expect(defaultKeywords(AnalyzeRequest).length).toBeGreaterThan(0);
    expect(defaultKeywords(BatchRequest)).toEqual([]);
    expect(JSON.stringify(BatchRequest)).not.toContain('"$id":"AnalyzeRequest"');
  });

  it.each([
    ['no items', { items: [] }],
    ['an item whose parameters are not an object', { items: [{ template_id: 'greeting', parameters: 'x' }] }],
    ['an item with an unknown member', { items: [{ prompt: 'x', prompts: [] }] }],
    ['an item option out of range', { items: [{ prompt: 'x', options: { max_repair_attempts: 11 } }] }],
    ['a prompt in the defaults', { defaults: { prompt: 'x' }, items: [{ prompt: 'y' }] }],
    ['an unknown default option', { defaults: { options: { retries: 2 } }, items: [{ prompt: 'y' }] }],
    ['an unknown top-level member', { items: [{ prompt: 'y' }], concurrency: 4 }],
  ])('refuses %s', (_name, body) => {
    expect(Value.Check(BatchRequest, body)).toBe(false);
  });
});

describe('BatchResponse', () => {
  it('accepts its example, whose results hold an answer and a problem document', () => {
    const [example] = examplesOf(BatchResponse) as Array<{ results: Array<Record<string, unknown>> }>;
    expect(Value.Check(BatchResponse, example)).toBe(true);
    expect(example!.results.map((result) => 'type' in result)).toEqual([false, true]);
  });

  it('refuses a result that is neither an answer nor a problem document', () => {
    const [example] = examplesOf(BatchResponse) as Array<Record<string, unknown>>;
    expect(Value.Check(BatchResponse, { ...example, results: [{ data: 1 }] })).toBe(false);
    const { summary: _summary, ...withoutSummary } = example!;
    expect(Value.Check(BatchResponse, withoutSummary)).toBe(false);
  });
});
