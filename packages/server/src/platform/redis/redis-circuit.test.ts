import { afterEach, describe, expect, it, vi } from 'vitest';
import { RedisCircuit, SKIPPED } from './redis-circuit.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** A logger that keeps its lines. */
function recordingLogger() {
  const lines: Array<{ level: 'warn' | 'info'; message: string }> = [];
  return {
    lines,
    warn: (_object: object, message: string) => lines.push({ level: 'warn', message }),
    info: (_object: object, message: string) => lines.push({ level: 'info', message }),
  };
}

const never = () => new Promise<never>(() => {});

describe('RedisCircuit', () => {
  it('passes answers through while Redis answers', async () => {
    const circuit = new RedisCircuit({ timeoutMs: 1000, label: 'test' });
    expect(await circuit.run(async () => 'PONG')).toBe('PONG');
    expect(circuit.healthy).toBe(true);
  });

  it('opens on a failure, skips every call while open, and tries again after the pause', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const logger = recordingLogger();
    const circuit = new RedisCircuit({ timeoutMs: 1000, retryAfterMs: 5000, label: 'limits', logger });
    expect(await circuit.run(() => Promise.reject(new Error('connection closed')))).toBe(SKIPPED);
    expect(circuit.healthy).toBe(false);

    const operation = vi.fn(async () => 1);
    expect(await circuit.run(operation)).toBe(SKIPPED);
    expect(operation).not.toHaveBeenCalled();

    vi.setSystemTime(Date.now() + 5001);
    expect(await circuit.run(operation)).toBe(1);
    expect(circuit.healthy).toBe(true);
    expect(logger.lines.map(({ level }) => level)).toEqual(['warn', 'info']);
    expect(logger.lines[0]!.message).toContain('limits');
  });

  it('gives up on a call that does not answer in time (a frozen Redis) and opens', async () => {
    const circuit = new RedisCircuit({ timeoutMs: 20, label: 'test' });
    expect(await circuit.run(never)).toBe(SKIPPED);
    expect(circuit.healthy).toBe(false);
  });

  it('lets a health probe through while open, and a success closes the circuit', async () => {
    const circuit = new RedisCircuit({ timeoutMs: 1000, retryAfterMs: 60_000, label: 'test' });
    await circuit.run(() => Promise.reject(new Error('down')));
    expect(await circuit.run(async () => 'PONG', { ignorePause: true })).toBe('PONG');
    expect(circuit.healthy).toBe(true);
    expect(await circuit.run(async () => 'again')).toBe('again');
  });

  it('logs a lasting outage once, not once per call', async () => {
    const logger = recordingLogger();
    const circuit = new RedisCircuit({ timeoutMs: 1000, retryAfterMs: 0, label: 'test', logger });
    for (let call = 0; call < 5; call += 1) await circuit.run(() => Promise.reject(new Error('down')));
    expect(logger.lines).toHaveLength(1);
  });
});
