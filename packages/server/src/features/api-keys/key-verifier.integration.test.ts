import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-databases.ts';
import { createLocalInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { type GeneratedKey, generateApiKey, sameKeyText } from './api-key-secret.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';
import { KeyVerifier } from './key-verifier.ts';

describe('KeyVerifier on a keep-alive connection', () => {
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
  const verifier = () =>
    new KeyVerifier({ repository, bus: createLocalInvalidationBus(), cacheTtlMs: 60_000 });
  const headers = (key: string) => ({ 'x-api-key': key });

  it('tells apart the keys that take turns on one connection (as behind a proxy)', async () => {
    const keys = verifier();
    const connection = {};
    const sequence = [first, second, first, first, second, first];
    for (const key of sequence) {
      const verification = await keys.verify(headers(key.raw), connection);
      expect(verification).toMatchObject({ ok: true, hash: key.hash });
      expect(verification.ok && verification.key.id).toBe(key === first ? ids.first : ids.second);
      // The synchronous path answers from the cache the first call filled, and agrees.
      expect(keys.verifyNow(headers(key.raw), connection)).toMatchObject({ ok: true, hash: key.hash });
    }
  });

  it('still refuses a wrong or malformed key after a good one on the same connection', async () => {
    const keys = verifier();
    const connection = {};
    await keys.verify(headers(first.raw), connection);
    const lastCharacter = first.raw.at(-1) === '0' ? '1' : '0';
    const oneOff = `${first.raw.slice(0, -1)}${lastCharacter}`;
    expect(await keys.verify(headers(oneOff), connection)).toEqual({ ok: false, reason: 'unknown' });
    expect(await keys.verify(headers(`${first.raw}x`), connection)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(await keys.verify({}, connection)).toEqual({ ok: false, reason: 'missing' });
    expect(await keys.verify(headers(first.raw), connection)).toMatchObject({ ok: true, hash: first.hash });
  });

  it('applies a revocation to a connection that presented the key before', async () => {
    const keys = verifier();
    const connection = {};
    const revoked = generateApiKey();
    const created = await store(revoked, 'to revoke');
    expect(await keys.verify(headers(revoked.raw), connection)).toMatchObject({ ok: true });
    await repository.revoke(created.id);
    keys.forget(revoked.hash);
    expect(keys.verifyNow(headers(revoked.raw), connection)).toBeUndefined();
    expect(await keys.verify(headers(revoked.raw), connection)).toEqual({ ok: false, reason: 'revoked' });
  });
});

describe('sameKeyText', () => {
  it('is true only for the same text', () => {
    const key = generateApiKey().raw;
    expect(sameKeyText(key, key.slice(0, 10) + key.slice(10))).toBe(true);
    expect(sameKeyText(key, `${key.slice(0, -1)}${key.at(-1) === 'a' ? 'b' : 'a'}`)).toBe(false);
    expect(sameKeyText(key, `x${key.slice(1)}`)).toBe(false);
    expect(sameKeyText(key, key.slice(0, -1))).toBe(false);
    expect(sameKeyText('', '')).toBe(true);
  });
});
