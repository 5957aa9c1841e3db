import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';

/** ApiKeysRepository behaves the same on SQLite and PostgreSQL. */
describeEachDialect('ApiKeysRepository', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const repo = () => new ApiKeysRepository(fixture().database);

  it('creates and reads back every field, by id and by hash', async () => {
    const expiresAt = new Date('2030-05-06T07:08:09.123Z');
    const created = await repo().create({
      keyHash: 'a'.repeat(64),
      keyPrefix: 'sp_abcd',
      name: 'Reporting',
      team: 'data',
      scopes: ['analyze', 'jobs:write'],
      rateLimitPerHour: 42,
      tokensPerMinute: 9000,
      monthlyBudgetUsd: 12.5,
      suspiciousInputPolicy: 'block',
      expiresAt,
    });
    expect(created).toMatchObject({
      keyHash: 'a'.repeat(64),
      name: 'Reporting',
      team: 'data',
      scopes: ['analyze', 'jobs:write'],
      rateLimitPerHour: 42,
      tokensPerMinute: 9000,
      monthlyBudgetUsd: 12.5,
      suspiciousInputPolicy: 'block',
      isActive: true,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await repo().getById(created.id)).toEqual(created);
    expect(await repo().findByHash('a'.repeat(64))).toEqual(created);
    expect(await repo().findByHash('b'.repeat(64))).toBeNull();
    expect(await repo().getById('not-a-uuid')).toBeNull();
  });

  it('applies defaults and refuses a duplicate hash with a conflict', async () => {
    const created = await repo().create({ keyHash: 'h1', keyPrefix: 'sp_1', name: 'default' });
    expect(created).toMatchObject({
      scopes: [],
      rateLimitPerHour: 1000,
      tokensPerMinute: null,
      team: null,
    });
    await expect(repo().create({ keyHash: 'h1', keyPrefix: 'sp_2', name: 'dup' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('lists with filters and walks every page exactly once, newest first', async () => {
    const base = Date.UTC(2026, 0, 1);
    for (let index = 0; index < 7; index++) {
      await repo().create({
        keyHash: `hash-${index}`,
        keyPrefix: `sp_${index}`,
        name: index % 2 === 0 ? `Even key ${index}` : `odd key ${index}`,
        team: index < 4 ? 'alpha' : 'beta',
        // Two keys share a timestamp to prove the id tie-break.
        createdAt: new Date(base + Math.min(index, 5) * 1000),
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiKeysRepository['list']>> = await repo().list(
        {},
        { limit: 3, cursor },
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((key) => key.keyHash));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(2)).toEqual(['hash-4', 'hash-3', 'hash-2', 'hash-1', 'hash-0']);

    expect((await repo().list({ team: 'beta' })).items.map((key) => key.keyHash).sort()).toEqual([
      'hash-4',
      'hash-5',
      'hash-6',
    ]);
    const even = await repo().list({ nameContains: 'EVEN' });
    expect(even.items).toHaveLength(4);
    expect(even.nextCursor).toBeNull();
    await expect(repo().list({}, { cursor: 'garbage' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('updates, revokes idempotently and filters on activity', async () => {
    const key = await repo().create({ keyHash: 'h', keyPrefix: 'sp_h', name: 'before' });
    const updated = await repo().update(key.id, {
      name: 'after',
      scopes: ['admin'],
      monthlyBudgetUsd: null,
    });
    expect(updated).toMatchObject({
      name: 'after',
      scopes: ['admin'],
      monthlyBudgetUsd: null,
      isActive: true,
    });
    const revokedAt = new Date('2026-02-03T04:05:06.789Z');
    expect(await repo().revoke(key.id, revokedAt)).toMatchObject({ isActive: false, revokedAt });
    expect((await repo().revoke(key.id, new Date()))?.revokedAt).toEqual(revokedAt);
    expect((await repo().list({ isActive: false })).items.map((k) => k.id)).toEqual([key.id]);
    expect((await repo().list({ isActive: true })).items).toEqual([]);
    expect(await repo().update(key.id, { isActive: true })).toMatchObject({
      isActive: true,
      revokedAt: null,
    });
    expect(await repo().update(key.id, { isActive: false })).toMatchObject({
      isActive: false,
      revokedAt: null,
    });
    expect(await repo().update('00000000-0000-4000-8000-000000000000', { name: 'x' })).toBeNull();
    expect(await repo().revoke('nope')).toBeNull();
  });

  it('rotates the secret, accepting the old one only during the grace period', async () => {
    expect(await repo().count()).toBe(0);
    const key = await repo().create({
      keyHash: 'old-hash',
      keyPrefix: 'sp_old',
      name: 'k',
      rateLimitPerHour: 7,
    });
    await repo().create({ keyHash: 'taken', keyPrefix: 'sp_t', name: 't' });
    expect(await repo().count()).toBe(2);
    const now = new Date('2026-05-01T00:00:00.000Z');
    const graceEnd = new Date(now.getTime() + 60_000);
    const rotated = await repo().rotate(key.id, {
      keyHash: 'new-hash',
      keyPrefix: 'sp_new',
      previousKeyValidUntil: graceEnd,
    });
    expect(rotated).toMatchObject({
      id: key.id,
      keyHash: 'new-hash',
      keyPrefix: 'sp_new',
      rateLimitPerHour: 7,
      previousKeyHash: 'old-hash',
      previousKeyValidUntil: graceEnd,
    });
    expect((await repo().findByHash('new-hash', now))?.id).toBe(key.id);
    expect((await repo().findByHash('old-hash', now))?.id).toBe(key.id);
    expect(await repo().findByHash('old-hash', graceEnd)).toBeNull();

    const immediate = await repo().rotate(key.id, {
      keyHash: 'newest',
      keyPrefix: 'sp_n',
      previousKeyValidUntil: null,
    });
    expect(immediate).toMatchObject({
      keyHash: 'newest',
      previousKeyHash: null,
      previousKeyValidUntil: null,
    });
    expect(await repo().findByHash('new-hash', now)).toBeNull();
    await expect(
      repo().rotate(key.id, { keyHash: 'taken', keyPrefix: 'sp_x', previousKeyValidUntil: null }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(
      await repo().rotate('00000000-0000-4000-8000-000000000000', {
        keyHash: 'z',
        keyPrefix: 'z',
        previousKeyValidUntil: null,
      }),
    ).toBeNull();
  });

  it('touches last_used_at at most once per interval', async () => {
    const key = await repo().create({ keyHash: 'h', keyPrefix: 'sp_h', name: 'k' });
    const first = new Date('2026-03-01T10:00:00.000Z');
    await repo().touchLastUsed(key.id, first, 60_000);
    await repo().touchLastUsed(key.id, new Date(first.getTime() + 30_000), 60_000);
    expect((await repo().getById(key.id))?.lastUsedAt).toEqual(first);
    const later = new Date(first.getTime() + 61_000);
    await repo().touchLastUsed(key.id, later, 60_000);
    expect((await repo().getById(key.id))?.lastUsedAt).toEqual(later);
  });
});
