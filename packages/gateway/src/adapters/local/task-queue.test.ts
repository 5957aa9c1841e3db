import { describe, expect, it } from 'vitest';
import { TaskQueue } from './task-queue.ts';

const never = new AbortController().signal;

describe('TaskQueue', () => {
  it('runs at most `concurrency` tasks at once, in arrival order', async () => {
    const queue = new TaskQueue('local', { concurrency: 2, maxQueued: 10 });
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const tasks = Array.from({ length: 5 }, (_, index) =>
      queue.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        order.push(index);
        await new Promise<void>((resolve) => releases.push(resolve));
        active -= 1;
      }, never),
    );
    while (order.length < 5) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    for (const release of releases) release();
    await Promise.all(tasks);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(queue.running).toBe(0);
  });

  it('rejects when the queue is full and drops waiters whose signal aborts', async () => {
    const queue = new TaskQueue('local', { concurrency: 1, maxQueued: 1 });
    let release: () => void = () => {};
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)), never);
    const controller = new AbortController();
    const waiting = queue.run(async () => 'never', controller.signal);
    await expect(queue.run(async () => 'x', never)).rejects.toMatchObject({
      kind: 'rate_limited',
      isRetryable: true,
    });
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(queue.queued).toBe(0);
    release();
    await first;
    expect(await queue.run(async () => 'after', never)).toBe('after');
  });
});
