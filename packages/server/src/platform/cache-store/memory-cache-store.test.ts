import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from './memory-cache-store.ts';

describe('MemoryCacheStore bounds', () => {
  it('evicts the least recently used entry beyond the entry limit', async () => {
    const store = new MemoryCacheStore({ maxEntries: 2, maxBytes: 1024 * 1024 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.get('a'); // a is now more recent than b
    await store.set('c', '3', 60_000);
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('a'))?.value).toBe('1');
    expect((await store.stats()).entries).toBe(2);
  });

  it('evicts by bytes and refuses a value larger than the whole budget', async () => {
    const store = new MemoryCacheStore({ maxEntries: 1000, maxBytes: 2048 });
    for (let index = 0; index < 10; index++) await store.set(`k${index}`, 'x'.repeat(500), 60_000);
    const stats = await store.stats();
    expect(stats.bytes).toBeLessThanOrEqual(2048);
    expect(stats.entries).toBeLessThan(10);
    expect((await store.get('k9'))?.value).toBe('x'.repeat(500));
    await store.set('huge', 'y'.repeat(4096), 60_000);
    expect(await store.get('huge')).toBeUndefined();
  });
});
