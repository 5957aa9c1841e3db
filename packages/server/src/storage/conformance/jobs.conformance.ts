import { describe, expect, it } from 'vitest';
import { JobsRepository } from '../../modules/jobs/jobs.repository.ts';
import { WebhookDeliveriesRepository } from '../../modules/jobs/webhook-deliveries.repository.ts';
import type { TestDatabase } from '../testing/test-databases.ts';

const keyA = '0190a000-0000-7000-8000-00000000000a';
const keyB = '0190a000-0000-7000-8000-00000000000b';
const t = (second: number) => new Date(Date.UTC(2026, 6, 1, 0, 0, second));

export function jobsConformance(fixture: () => TestDatabase): void {
  describe('jobs', () => {
    const repo = () => new JobsRepository(fixture().database);

    it('creates a queued job and reads it back', async () => {
      const { job, created } = await repo().create({
        jobType: 'analyze',
        apiKeyId: keyA,
        requestParams: { prompt: 'hi', options: [1, 2] },
        webhookUrl: 'https://example.com/hook',
        expiresAt: t(60),
        createdAt: t(0),
      });
      expect(created).toBe(true);
      expect(job).toMatchObject({
        status: 'queued',
        attempts: 0,
        requestParams: { prompt: 'hi', options: [1, 2] },
        result: null,
        runAfter: t(0),
        expiresAt: t(60),
      });
      expect(await repo().getById(job.id)).toEqual(job);
      expect(await repo().getById('x')).toBeNull();
    });

    it('returns the first job for a repeated idempotency key of the same API key, even when concurrent', async () => {
      const input = { jobType: 'batch', apiKeyId: keyA, requestParams: { n: 1 }, idempotencyKey: 'idem-1' };
      const results = await Promise.all([repo().create(input), repo().create(input), repo().create(input)]);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.job.id)).size).toBe(1);
      const otherKey = await repo().create({ ...input, apiKeyId: keyB });
      expect(otherKey.created).toBe(true);
      const noKey = await repo().create({ ...input, idempotencyKey: null });
      expect(noKey.created).toBe(true);
    });

    it('leases runnable jobs to one worker each and reclaims expired leases', async () => {
      const first = (await repo().create({ jobType: 'analyze', requestParams: 1, runAfter: t(0) })).job;
      const second = (await repo().create({ jobType: 'analyze', requestParams: 2, runAfter: t(1) })).job;
      await repo().create({ jobType: 'analyze', requestParams: 3, runAfter: t(100) });

      const claims = await Promise.all(
        ['w1', 'w2', 'w3'].map((worker) => repo().claimNext(worker, { now: t(10), leaseMs: 5000 })),
      );
      const claimed = claims.filter((job) => job !== null);
      expect(claimed.map((job) => job.id).sort()).toEqual([first.id, second.id].sort());
      expect(new Set(claimed.map((job) => job.lockedBy)).size).toBe(2);
      expect(claimed[0]).toMatchObject({
        status: 'running',
        attempts: 1,
        startedAt: t(10),
        lockedUntil: t(15),
      });

      // The lease of the first job's worker ran out (it died): another worker takes it over.
      await repo().update(
        second.id,
        { status: 'succeeded', result: { ok: true }, completedAt: t(12) },
        t(12),
      );
      const reclaimed = await repo().claimNext('w9', { now: t(16), leaseMs: 5000 });
      expect(reclaimed).toMatchObject({ id: first.id, lockedBy: 'w9', attempts: 2, startedAt: t(10) });
      expect(await repo().claimNext('w9', { now: t(16), leaseMs: 5000, jobTypes: ['other'] })).toBeNull();

      expect(await repo().getById(second.id)).toMatchObject({
        status: 'succeeded',
        result: { ok: true },
        lockedBy: null,
        completedAt: t(12),
      });
    });

    it('lists with filters, cancels unfinished jobs and counts by status', async () => {
      const a = (
        await repo().create({ jobType: 'analyze', apiKeyId: keyA, requestParams: {}, createdAt: t(1) })
      ).job;
      const b = (
        await repo().create({ jobType: 'batch', apiKeyId: keyA, requestParams: {}, createdAt: t(2) })
      ).job;
      await repo().create({ jobType: 'analyze', apiKeyId: keyB, requestParams: {}, createdAt: t(3) });
      expect((await repo().list({ apiKeyId: keyA })).items.map((job) => job.id)).toEqual([b.id, a.id]);
      expect((await repo().list({ jobType: 'analyze', from: t(2) })).items).toHaveLength(1);
      expect((await repo().cancel(a.id, t(5)))?.status).toBe('cancelled');
      expect(await repo().cancel(a.id, t(6))).toBeNull();
      expect((await repo().list({ status: 'cancelled' })).items.map((job) => job.id)).toEqual([a.id]);
      expect(await repo().countByStatus()).toEqual({ queued: 2, cancelled: 1 });
    });
  });

  describe('webhook deliveries', () => {
    const jobs = () => new JobsRepository(fixture().database);
    const repo = () => new WebhookDeliveriesRepository(fixture().database);

    it('leases due deliveries, retries failures and records success', async () => {
      const job = (await jobs().create({ jobType: 'analyze', requestParams: {} })).job;
      const due = await repo().create({
        jobId: job.id,
        url: 'https://h/1',
        eventType: 'job.completed',
        payload: { a: 1 },
        nextAttemptAt: t(0),
        createdAt: t(0),
      });
      await repo().create({
        jobId: job.id,
        url: 'https://h/2',
        eventType: 'job.completed',
        payload: [],
        nextAttemptAt: t(50),
        createdAt: t(1),
      });

      const [batch1, batch2] = await Promise.all([
        repo().claimDue({ now: t(10), limit: 10, leaseMs: 30_000 }),
        repo().claimDue({ now: t(10), limit: 10, leaseMs: 30_000 }),
      ]);
      expect([...batch1, ...batch2].map((d) => d.id)).toEqual([due.id]);
      expect([...batch1, ...batch2][0]).toMatchObject({
        status: 'delivering',
        attempts: 1,
        payload: { a: 1 },
      });

      await repo().markFailed(due.id, { statusCode: 503, error: 'upstream 503', retryAt: t(20) });
      expect(await repo().getById(due.id)).toMatchObject({
        status: 'pending',
        lastStatusCode: 503,
        nextAttemptAt: t(20),
      });
      expect(await repo().claimDue({ now: t(15), limit: 10, leaseMs: 1000 })).toEqual([]);
      const retried = await repo().claimDue({ now: t(20), limit: 10, leaseMs: 1000 });
      expect(retried.map((d) => d.attempts)).toEqual([2]);

      await repo().markDelivered(due.id, 200, t(21));
      expect(await repo().getById(due.id)).toMatchObject({
        status: 'delivered',
        deliveredAt: t(21),
        lastError: null,
      });
      const all = await repo().listForJob(job.id);
      expect(all.map((d) => d.url)).toEqual(['https://h/1', 'https://h/2']);

      await repo().markFailed(all[1]!.id, { error: 'gone', retryAt: null });
      expect((await repo().getById(all[1]!.id))?.status).toBe('failed');
    });
  });
}
