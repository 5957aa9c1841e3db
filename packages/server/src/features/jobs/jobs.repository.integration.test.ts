import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect, useTestDatabase } from '../../../test/support/test-databases.ts';
import { DeadLettersRepository } from './dead-letters.repository.ts';
import { type ItemOutcome, JobItemsRepository } from './job-items.repository.ts';
import type { NewJob } from './job-types.ts';
import { JobsRepository } from './jobs.repository.ts';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const lease = 30_000;

function newJob(items: number, overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: randomUUID(),
    apiKeyId: randomUUID(),
    jobType: items === 1 ? 'single' : 'batch',
    priority: 'default',
    items: Array.from({ length: items }, (_, index) => ({ prompt: `item ${index}` })),
    expiresAt: at(86_400_000),
    ...overrides,
  };
}

const succeeded = (result: unknown): ItemOutcome => ({
  status: 'succeeded',
  result,
  tokens: 10,
  costUsd: 0.5,
  latencyMs: 3,
  cached: false,
});
const failure = { code: 'provider_error', status: 502, detail: 'upstream failed', retryable: true };

describeEachDialect('jobs repositories', (dialect) => {
  const fixture = useTestDatabase(dialect);
  const repositories = () => {
    const { database } = fixture();
    return {
      jobs: new JobsRepository(database),
      items: new JobItemsRepository(database),
      deadLetters: new DeadLettersRepository(database),
    };
  };

  it('stores a job with its items, counts progress and lists jobs per owner', async () => {
    const { jobs } = repositories();
    const job = newJob(1200);
    const created = await jobs.create(job, t0);
    await jobs.create(newJob(1), at(1));
    expect(created).toMatchObject({ id: job.id, status: 'pending', totalItems: 1200, priority: 'default' });
    expect(await jobs.progress(job.id)).toMatchObject({ pending: 1200, succeeded: 0, tokens: 0 });
    const own = await jobs.list(job.apiKeyId);
    expect(own.items.map((record) => record.id)).toEqual([job.id]);
    expect((await jobs.list(undefined)).items).toHaveLength(2);
    expect(await jobs.get('not-a-uuid')).toBeUndefined();
  });

  it('leases an item to one worker; another gets it only after the lease ran out', async () => {
    const { jobs, items } = repositories();
    const job = newJob(1);
    await jobs.create(job, t0);
    const ref = { jobId: job.id, index: 0 };
    const first = await items.claim(ref, 'worker-a', lease, at(10));
    expect(first).toMatchObject({ kind: 'claimed', attempts: 1, apiKeyId: job.apiKeyId });
    expect(first.kind === 'claimed' && first.request).toEqual({ prompt: 'item 0' });
    expect(await items.claim(ref, 'worker-b', lease, at(20))).toEqual({
      kind: 'busy',
      retryInMs: lease - 10,
    });

    await items.heartbeat('worker-a', lease, at(25_000));
    expect(await items.claim(ref, 'worker-b', lease, at(40_000))).toMatchObject({ kind: 'busy' });
    const second = await items.claim(ref, 'worker-b', lease, at(60_000));
    expect(second).toMatchObject({ kind: 'claimed', attempts: 2 });

    // The worker that lost its lease cannot write; the new holder writes once.
    expect(await items.complete(ref, 'worker-a', succeeded({ by: 'a' }), at(60_001))).toBe(false);
    expect(await items.complete(ref, 'worker-b', succeeded({ by: 'b' }), at(60_002))).toBe(true);
    expect(await items.complete(ref, 'worker-b', succeeded({ by: 'b2' }), at(60_003))).toBe(false);
    expect(await items.claim(ref, 'worker-c', lease, at(60_004))).toEqual({ kind: 'finished' });
    const [item] = await items.page(job.id, -1, 10);
    expect(item).toMatchObject({ status: 'succeeded', result: { by: 'b' }, tokens: 10, attempts: 2 });
    expect(await jobs.finishIfDone(job.id, at(60_005))).toBe('completed');
    expect(await jobs.finishIfDone(job.id, at(60_006))).toBeUndefined();
  });

  it('reschedules a retryable failure, dead-letters the last one and drives it again', async () => {
    const { jobs, items, deadLetters } = repositories();
    const job = newJob(2);
    await jobs.create(job, t0);
    const ref = { jobId: job.id, index: 1 };
    await items.claim(ref, 'w', lease, at(0));
    expect(await items.reschedule(ref, 'w', at(2000), failure, at(1))).toBe(true);
    expect(await items.claim(ref, 'w', lease, at(1000))).toEqual({ kind: 'busy', retryInMs: 1000 });
    expect(await items.claim(ref, 'w', lease, at(2000))).toMatchObject({ kind: 'claimed', attempts: 2 });
    const outcome: ItemOutcome = { ...succeeded(undefined), status: 'failed', error: failure };
    expect(await items.deadLetter(ref, 'w', outcome, at(3000))).toBe(true);
    await items.claim({ jobId: job.id, index: 0 }, 'w', lease, at(3000));
    await items.complete({ jobId: job.id, index: 0 }, 'w', succeeded(1), at(3001));
    expect(await jobs.finishIfDone(job.id, at(3002))).toBe('completed');

    const page = await deadLetters.list();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ jobId: job.id, index: 1, attempts: 2, error: failure });
    expect(await deadLetters.redrive(page.items[0]!.id, at(4000))).toBe(true);
    expect(await deadLetters.redrive(page.items[0]!.id, at(4001))).toBe(false);
    expect((await deadLetters.list()).items).toHaveLength(0);
    expect((await deadLetters.list({}, true)).items).toHaveLength(1);
    expect((await jobs.get(job.id))?.status).toBe('processing');
    expect(await items.claim(ref, 'w', lease, at(4002))).toMatchObject({ kind: 'claimed', attempts: 1 });
  });

  it('cancels pending items at once and a running item at its next claim', async () => {
    const { jobs, items } = repositories();
    const job = newJob(3);
    await jobs.create(job, t0);
    await items.claim({ jobId: job.id, index: 0 }, 'w', lease, at(0));
    expect(await jobs.cancel(job.id, at(1))).toBe(true);
    expect(await jobs.cancel(job.id, at(2))).toBe(false);
    expect(await jobs.progress(job.id)).toMatchObject({ running: 1, cancelled: 2 });
    expect(await items.claim({ jobId: job.id, index: 0 }, 'x', lease, at(lease + 1))).toEqual({
      kind: 'finished',
    });
    expect(await jobs.progress(job.id)).toMatchObject({ running: 0, cancelled: 3 });
    expect((await jobs.get(job.id))?.status).toBe('cancelled');
  });

  it('releases a stopping worker’s items without counting the attempt, and sweeps lost work', async () => {
    const { jobs, items } = repositories();
    const job = newJob(3, { priority: 'high' });
    await jobs.create(job, t0);
    await items.claim({ jobId: job.id, index: 0 }, 'stopping', lease, at(0));
    await items.claim({ jobId: job.id, index: 1 }, 'dead', lease, at(0));
    expect(await items.release('stopping', at(1))).toEqual([{ jobId: job.id, index: 0 }]);
    expect(await items.claim({ jobId: job.id, index: 0 }, 'w', lease, at(2))).toMatchObject({ attempts: 1 });

    // Item 2 has waited since creation; item 1's lease ran out; item 0 is held.
    const swept = await items.sweep(at(5), at(lease + 1));
    expect(swept.map((entry) => entry.ref.index).sort()).toEqual([1, 2]);
    expect(swept.every((entry) => entry.priority === 'high')).toBe(true);
    expect(await items.sweep(at(5), at(lease + 1))).toEqual([
      { ref: { jobId: job.id, index: 1 }, priority: 'high' },
    ]);
  });

  it('expires jobs past their time and deletes their results', async () => {
    const { jobs, items } = repositories();
    const old = newJob(2, { expiresAt: at(1000) });
    const fresh = newJob(1, { expiresAt: at(10_000) });
    await jobs.create(old, t0);
    await jobs.create(fresh, t0);
    expect(await jobs.expire(at(2000))).toBe(1);
    expect((await jobs.get(old.id))?.status).toBe('expired');
    expect((await jobs.get(fresh.id))?.status).toBe('pending');
    expect(await items.page(old.id, -1, 10)).toEqual([]);
    expect(await items.claim({ jobId: old.id, index: 0 }, 'w', lease, at(2001))).toEqual({
      kind: 'finished',
    });
    expect(await jobs.expire(at(2002))).toBe(0);
  });
});

describe('dead letters', () => {
  it('an unknown id reads as missing', async () => {
    expect(await new DeadLettersRepository({} as never).get('nope')).toBeUndefined();
  });
});
