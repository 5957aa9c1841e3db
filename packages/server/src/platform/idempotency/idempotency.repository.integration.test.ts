import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { IdempotencyRepository } from './idempotency.repository.ts';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const response = { status: 202, headers: { location: '/v1/jobs/1' }, body: '{"id":"1"}' };

describeEachDialect('idempotency keys', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const input = (overrides = {}) => ({
    apiKeyId: randomUUID(),
    key: 'key-1',
    fingerprint: 'same',
    lockMs: 1000,
    ttlMs: 86_400_000,
    ...overrides,
  });

  it('starts once, answers in-progress while running, then replays the stored answer', async () => {
    const repository = new IdempotencyRepository(fixture().database);
    const request = input();
    expect(await repository.begin(request, at(0))).toEqual({ kind: 'started' });
    expect(await repository.begin(request, at(10))).toEqual({ kind: 'in_progress' });
    await repository.complete(request.apiKeyId, request.key, response);
    expect(await repository.begin(request, at(20))).toEqual({ kind: 'replay', response });
    expect(await repository.begin({ ...request, fingerprint: 'other' }, at(30))).toEqual({
      kind: 'mismatch',
    });
  });

  it('scopes keys per API key, frees an abandoned key and takes over a stale one', async () => {
    const repository = new IdempotencyRepository(fixture().database);
    const request = input();
    expect(await repository.begin(request, at(0))).toEqual({ kind: 'started' });
    expect(await repository.begin({ ...request, apiKeyId: randomUUID() }, at(1))).toEqual({
      kind: 'started',
    });
    await repository.abandon(request.apiKeyId, request.key);
    expect(await repository.begin({ ...request, fingerprint: 'new' }, at(2))).toEqual({ kind: 'started' });
    // The holder died without answering: after its lock, the same request may run.
    expect(await repository.begin({ ...request, fingerprint: 'new' }, at(500))).toEqual({
      kind: 'in_progress',
    });
    expect(await repository.begin({ ...request, fingerprint: 'new' }, at(1003))).toEqual({ kind: 'started' });
  });

  it('forgets a record after its replay window', async () => {
    const repository = new IdempotencyRepository(fixture().database);
    const request = input({ ttlMs: 5000 });
    await repository.begin(request, at(0));
    await repository.complete(request.apiKeyId, request.key, response);
    expect(await repository.begin({ ...request, fingerprint: 'other' }, at(5001))).toEqual({
      kind: 'started',
    });
    expect(await repository.purgeExpired(at(5002 + 5000))).toBe(1);
  });
});
