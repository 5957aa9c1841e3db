import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline, watchAbort } from './deadline.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Deadline', () => {
  it('aborts with a TimeoutError when its time runs out, like AbortSignal.timeout', () => {
    const deadline = new Deadline(1000);
    vi.advanceTimersByTime(999);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('follows its parent with the parent reason, without counting as expired', () => {
    const parent = new AbortController();
    const deadline = new Deadline(1000, parent.signal);
    const reason = new DOMException('deadline of the request', 'TimeoutError');
    parent.abort(reason);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.expired).toBe(false);
    const late = new Deadline(1000, parent.signal);
    expect(late.signal.reason).toBe(reason);
  });

  it('leaves no timer and no parent listener behind once cleared', () => {
    const parent = new AbortController();
    const deadline = new Deadline(1000, parent.signal);
    expect(vi.getTimerCount()).toBe(1);
    deadline.clear();
    expect(vi.getTimerCount()).toBe(0);
    parent.abort();
    vi.advanceTimersByTime(5000);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.expired).toBe(false);
  });

  it('links a child deadline to a parent deadline without an EventTarget listener', () => {
    const parent = new Deadline(5000);
    const child = new Deadline(1000, parent.signal);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    vi.advanceTimersByTime(5000 - 1);
    // The child's own time ran out first.
    expect(child.expired).toBe(true);
    const other = new Deadline(60_000, parent.signal);
    vi.advanceTimersByTime(1);
    expect(parent.signal.aborted).toBe(true);
    expect(other.signal.aborted).toBe(true);
    expect(other.signal.reason).toBe(parent.signal.reason);
    expect(other.expired).toBe(false);
    // Aborting through the parent also stopped the child's own timer.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgets a cleared child: the parent aborting later leaves it alone', () => {
    const parent = new Deadline(5000);
    const child = new Deadline(1000, parent.signal);
    child.clear();
    vi.advanceTimersByTime(5000);
    expect(parent.signal.aborted).toBe(true);
    expect(child.signal.aborted).toBe(false);
  });
});

describe('watchAbort', () => {
  it('calls a listener on a deadline once, with the signal already aborted, unless it stopped watching', () => {
    const deadline = new Deadline(1000);
    const seen: boolean[] = [];
    watchAbort(deadline.signal, () => seen.push(deadline.signal.aborted));
    const stop = watchAbort(deadline.signal, () => seen.push(false));
    stop();
    expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0);
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([true]);
    // Watching an aborted deadline calls back at once.
    const late: string[] = [];
    watchAbort(deadline.signal, () => late.push('called'));
    expect(late).toEqual(['called']);
  });

  it('falls back to the EventTarget for any other signal, and removes its listener when stopped', () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const stop = watchAbort(controller.signal, () => seen.push('first'));
    watchAbort(controller.signal, () => seen.push('second'));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(2);
    stop();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    expect(seen).toEqual(['second']);
  });
});
