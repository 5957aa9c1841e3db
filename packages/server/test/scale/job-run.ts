import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { killHard } from '../support/job-processes.ts';
import { eventually } from '../support/redis.ts';
import { adminKey, type Cluster } from './cluster.ts';
import { send } from './traffic.ts';

async function progressOf(cluster: Cluster, id: string) {
  const job = await send(cluster.balancerUrl, `/v1/jobs/${id}`, { key: adminKey });
  return job.body as { status: string; progress: { succeeded: number; failed: number } };
}

/**
 * Submits a job of `items` items through the load balancer, lets the two workers answer some, holds
 * the provider so that one worker has calls open, kills that worker with SIGKILL, then lets the
 * other finish. Every item must be answered by the provider exactly once: the calls the killed
 * worker had open were never answered (it was gone), and no item is answered twice.
 */
export async function runJobThroughWorkerKill(cluster: Cluster, items: number) {
  const provider = cluster.jobProvider;
  const run = randomBytes(4).toString('hex');
  const body = {
    items: Array.from({ length: items }, (_, index) => ({
      prompt: `Translate item-${index}-${run} to French`,
      provider: 'openai',
    })),
  };
  const submitted = await send(cluster.balancerUrl, '/v1/jobs', { key: adminKey, body });
  expect(submitted.status).toBe(202);
  const id = String(submitted.body.id);
  await eventually(async () => provider.answered() >= 150, '150 items answered', 4000);
  provider.hold();
  await eventually(
    async () =>
      provider.inFlight() > 0 && (await progressOf(cluster, id)).progress.succeeded === provider.answered(),
    'answered items stored, others held in flight',
    4000,
  );
  const answeredBeforeKill = provider.answered();
  const [victim] = cluster.workers;
  if (!victim) throw new Error('no worker');
  await killHard(victim.child);
  await provider.fake.whenClientAborts();
  await abortsSettled(cluster);
  provider.release();
  await eventually(async () => (await progressOf(cluster, id)).status === 'completed', 'job completed', 8000);
  const progress = (await progressOf(cluster, id)).progress;
  const perItem = provider.answeredPerItem();
  expect(progress).toMatchObject({ succeeded: items, failed: 0 });
  expect(perItem.size).toBe(items);
  expect([...perItem.values()].filter((count) => count !== 1)).toEqual([]);
  const received = provider.fake.requests.filter((request) =>
    request.path.endsWith('/chat/completions'),
  ).length;
  return {
    items,
    answeredBeforeKill,
    providerCallsAnswered: provider.answered(),
    providerCallsCutByKill: provider.fake.requests.filter((request) => request.abortedByClient).length,
    providerCallsReceived: received,
  };
}

/**
 * The kernel closes every socket of a killed process at once; the fake sees those closes within a
 * few event-loop turns. Waits until the count of closed calls stops growing, so that no call of the
 * killed worker is still open (and answered into a dead socket) when the provider is released.
 */
async function abortsSettled(cluster: Cluster): Promise<void> {
  const aborted = () => cluster.jobProvider.fake.requests.filter((request) => request.abortedByClient).length;
  let last = -1;
  let unchanged = 0;
  await eventually(
    async () => {
      const now = aborted();
      unchanged = now === last ? unchanged + 1 : 0;
      last = now;
      return unchanged >= 8;
    },
    'closed calls of the killed worker counted',
    400,
  );
}
