import { describe, expect, it } from 'vitest';
import { RequestCoalescer } from './request-coalescer.ts';

/** A promise the test settles by hand, so "concurrent" is certain rather than timing-dependent. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('RequestCoalescer', () => {
  it('runs 20 concurrent identical tasks once and gives every caller the result', async () => {
    const coalescer = new RequestCoalescer();
    const gate = deferred<string>();
    let calls = 0;
    const runs = Array.from({ length: 20 }, () =>
      coalescer.run('same', () => {
        calls += 1;
        return gate.promise;
      }),
    );
    expect(runs.filter((run) => run.shared)).toHaveLength(19);
    gate.resolve('answer');
    expect(await Promise.all(runs.map((run) => run.promise))).toEqual(Array(20).fill('answer'));
    expect(calls).toBe(1);
    expect(coalescer.size).toBe(0);
  });

  it('keeps different keys apart', async () => {
    const coalescer = new RequestCoalescer();
    let calls = 0;
    const task = async () => ++calls;
    await Promise.all([coalescer.run('a', task).promise, coalescer.run('b', task).promise]);
    expect(calls).toBe(2);
  });

  it('delivers a failure to every waiter and does not remember it', async () => {
    const coalescer = new RequestCoalescer();
    const gate = deferred<string>();
    let calls = 0;
    const runs = Array.from({ length: 20 }, () =>
      coalescer.run('same', () => {
        calls += 1;
        return gate.promise;
      }),
    );
    gate.reject(new Error('provider down'));
    const settled = await Promise.allSettled(runs.map((run) => run.promise));
    expect(settled.every((result) => result.status === 'rejected')).toBe(true);
    expect(settled.map((result) => (result as PromiseRejectedResult).reason.message)).toEqual(
      Array(20).fill('provider down'),
    );
    expect(calls).toBe(1);
    // The next caller starts afresh instead of receiving the old failure.
    const retry = coalescer.run('same', async () => {
      calls += 1;
      return 'recovered';
    });
    expect(retry.shared).toBe(false);
    expect(await retry.promise).toBe('recovered');
    expect(calls).toBe(2);
  });

  it('turns a synchronous throw into a shared rejection', async () => {
    const coalescer = new RequestCoalescer();
    const first = coalescer.run('k', () => {
      throw new Error('sync');
    });
    const second = coalescer.run('k', async () => 'never');
    await expect(first.promise).rejects.toThrow('sync');
    await expect(second.promise).rejects.toThrow('sync');
  });
});
