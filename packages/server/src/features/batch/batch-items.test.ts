import { describe, expect, it } from 'vitest';
import type { PreparedAnalyze } from '../analyze/analyze-context.ts';
import { buildCacheKey } from '../cache/cache-key.ts';
import { groupIdentical, mergeDefaults } from './batch-items.ts';

describe('mergeDefaults', () => {
  it('returns the item itself without defaults', () => {
    const item = { prompt: 'x', temperature: 0.3 };
    expect(mergeDefaults(undefined, item)).toEqual(item);
  });

  it('puts the defaults under the item: the item wins field by field and option by option', () => {
    const merged = mergeDefaults(
      {
        schema: { type: 'object' },
        model: 'small',
        temperature: 0,
        options: { validation: 'relaxed', max_repair_attempts: 1, language: 'fr' },
      },
      { prompt: 'x', model: 'large', options: { max_repair_attempts: 3 } },
    );
    expect(merged).toEqual({
      prompt: 'x',
      schema: { type: 'object' },
      model: 'large',
      temperature: 0,
      options: { validation: 'relaxed', max_repair_attempts: 3, language: 'fr' },
    });
  });

  it('replaces a default schema whole rather than merging two schemas', () => {
    const merged = mergeDefaults(
      { schema: { type: 'object', required: ['a'] } },
      { prompt: 'x', schema: { type: 'array' } },
    );
    expect(merged.schema).toEqual({ type: 'array' });
  });

  it('lets an item that names a provider in either spelling ignore the default provider', () => {
    const defaults = { provider: 'openai', llm_provider: 'anthropic' };
    expect(mergeDefaults(defaults, { prompt: 'x', llm_provider: 'heuristic' })).toEqual({
      prompt: 'x',
      llm_provider: 'heuristic',
    });
    expect(mergeDefaults(defaults, { prompt: 'x' })).toEqual({ prompt: 'x', ...defaults });
  });

  it('leaves the defaults and the item unchanged', () => {
    const defaults = { options: { validation: 'off' as const } };
    const item = { prompt: 'x', options: { cache_ttl: 5 } };
    mergeDefaults(defaults, item);
    expect(defaults).toEqual({ options: { validation: 'off' } });
    expect(item).toEqual({ prompt: 'x', options: { cache_ttl: 5 } });
  });
});

function prepared(prompt: string, bypass = false): PreparedAnalyze {
  const body = { prompt, ...(bypass ? { options: { bypass_cache: true } } : {}) };
  return {
    request: { body } as PreparedAnalyze['request'],
    warnings: [],
    cacheKey: buildCacheKey({ prompt, schemaHash: 'h' }),
  };
}

describe('groupIdentical', () => {
  it('groups items by cache key, led by the first of them, skipping refused items', () => {
    const groups = groupIdentical([prepared('a'), prepared('b'), undefined, prepared('a'), prepared('a')]);
    expect(groups.map(({ leader, followers }) => ({ leader, followers }))).toEqual([
      { leader: 0, followers: [3, 4] },
      { leader: 1, followers: [] },
    ]);
  });

  it('keeps items that bypass the cache apart from those that may read it', () => {
    const groups = groupIdentical([prepared('a'), prepared('a', true), prepared('a', true)]);
    expect(groups.map(({ leader, followers, fresh }) => ({ leader, followers, fresh }))).toEqual([
      { leader: 0, followers: [], fresh: false },
      { leader: 1, followers: [2], fresh: true },
    ]);
  });
});
