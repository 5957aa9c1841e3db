import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline } from './deadline.ts';

describe('Deadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

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
});
