import { describe, expect, it } from 'vitest';
import { schemaHash } from '../../lib/canonical-json.ts';
import { buildCacheKey } from './cache-key.ts';
import { createResponseCache } from './create-response-cache.ts';

const cacheConfig = {
  enabled: true,
  ttlSeconds: 3600,
  l1MaxEntries: 100,
  l1MaxBytes: 1024 * 1024,
  compressThresholdBytes: 1024,
  lowercasePrompts: false,
};

describe('createResponseCache', () => {
  it('builds an L1-only cache without Redis, with no health check to run', async () => {
    const cache = createResponseCache({ cache: cacheConfig, redis: { commandTimeoutMs: 500 } });
    expect(cache.healthCheck).toBeUndefined();
    expect(await cache.ready(100)).toBe(true);
    const key = buildCacheKey({ prompt: 'hi', schemaHash: schemaHash({ type: 'string' }) });
    const compute = async () => ({ value: 'x', usage: { totalTokens: 1, costUsd: 0 } });
    await cache.service.getOrCompute(key, compute);
    expect((await cache.service.getOrCompute(key, compute)).cached).toBe(true);
    expect((await cache.service.stats()).levels.l2.status).toBe('not_configured');
    await cache.close();
  });

  it('honours cache.enabled = false', async () => {
    const cache = createResponseCache({
      cache: { ...cacheConfig, enabled: false },
      redis: { commandTimeoutMs: 500 },
    });
    let calls = 0;
    const key = buildCacheKey({ prompt: 'hi', schemaHash: schemaHash({ type: 'string' }) });
    const compute = async () => ({ value: ++calls, usage: { totalTokens: 1, costUsd: 0 } });
    await cache.service.getOrCompute(key, compute);
    await cache.service.getOrCompute(key, compute);
    expect(calls).toBe(2);
    await cache.close();
  });
});
