import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-databases.ts';
import { createLocalInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { type GeneratedKey, generateApiKey } from './api-key-secret.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';
import { KeyVerifier } from './key-verifier.ts';

describe('KeyVerifier', () => {
  let fixture: TestDatabase;
  let repository: ApiKeysRepository;
  const first = generateApiKey();
  const second = generateApiKey();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fixture = await createTestDatabase('sqlite');
    repository = new ApiKeysRepository(fixture.database);
    ids.first = (await store(first, 'first')).id;
    ids.second = (await store(second, 'second')).id;
  });
  afterAll(() => fixture.destroy());

  const store = (key: GeneratedKey, name: string) =>
    repository.create({ keyHash: key.hash, keyPrefix: key.prefix, name, scopes: ['user'] });
  const headers = (key: string) => ({ 'x-api-key': key });

  it('tells apart keys that take turns, from the database and then from its cache', async () => {
    const keys = new KeyVerifier({ repository, bus: createLocalInvalidationBus(), cacheTtlMs: 60_000 });
    for (const key of [first, second, first, first, second, first]) {
      const verification = await keys.verify(headers(key.raw));
      expect(verification).toMatchObject({ ok: true, hash: key.hash });
      expect(verification.ok && verification.key.id).toBe(key === first ? ids.first : ids.second);
    }
    const bearer = await keys.verify({ authorization: `Bearer ${second.raw}` });
    expect(bearer.ok && bearer.key.id).toBe(ids.second);
  });

  it('refuses a missing, malformed or unknown key, also right after a good one', async () => {
    const keys = new KeyVerifier({ repository, bus: createLocalInvalidationBus(), cacheTtlMs: 60_000 });
    await keys.verify(headers(first.raw));
    const lastCharacter = first.raw.at(-1) === '0' ? '1' : '0';
    const oneOff = `${first.raw.slice(0, -1)}${lastCharacter}`;
    expect(await keys.verify(headers(oneOff))).toEqual({ ok: false, reason: 'unknown' });
    expect(await keys.verify(headers(`${first.raw}x`))).toEqual({ ok: false, reason: 'malformed' });
    expect(await keys.verify({})).toEqual({ ok: false, reason: 'missing' });
    expect(await keys.verify(headers(first.raw))).toMatchObject({ ok: true, hash: first.hash });
  });

  it('applies a revocation published on the bus despite its cache', async () => {
    const bus = createLocalInvalidationBus();
    const keys = new KeyVerifier({ repository, bus, cacheTtlMs: 60_000 });
    const revoked = generateApiKey();
    const created = await store(revoked, 'to revoke');
    expect(await keys.verify(headers(revoked.raw))).toMatchObject({ ok: true });
    await repository.revoke(created.id);
    // Still cached: the database change alone is not seen until the entry expires.
    expect(await keys.verify(headers(revoked.raw))).toMatchObject({ ok: true });
    await bus.publish(revoked.hash);
    expect(await keys.verify(headers(revoked.raw))).toEqual({ ok: false, reason: 'revoked' });
  });

  it('judges expiry by its clock at each request, also for a cached key', async () => {
    const clock = { now: new Date('2030-01-01T00:00:00Z') };
    const keys = new KeyVerifier({
      repository,
      bus: createLocalInvalidationBus(),
      cacheTtlMs: 60_000,
      now: () => clock.now,
    });
    const expiring = generateApiKey();
    await repository.create({
      keyHash: expiring.hash,
      keyPrefix: expiring.prefix,
      name: 'expiring',
      expiresAt: new Date('2030-01-01T00:01:00Z'),
    });
    expect(await keys.verify(headers(expiring.raw))).toMatchObject({ ok: true });
    clock.now = new Date('2030-01-01T00:01:00Z');
    expect(await keys.verify(headers(expiring.raw))).toEqual({ ok: false, reason: 'expired' });
  });
});
