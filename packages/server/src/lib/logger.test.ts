import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(
    { log: { level: 'info' }, telemetry: { serviceName: 'test' } } as never,
    destination,
  );
  return { logger, lines };
}

describe('the error serializer', () => {
  it('keeps a plain message logged as `err` (a Redis client reports connection errors so) without throwing', () => {
    const { logger, lines } = capture();
    expect(() =>
      logger.warn({ err: 'connect ECONNREFUSED 127.0.0.1:6379' }, 'cache: Redis unavailable'),
    ).not.toThrow();
    expect(lines[0]?.err).toBe('connect ECONNREFUSED 127.0.0.1:6379');
  });

  it('still takes credentials out of the URLs an Error carries', () => {
    const { logger, lines } = capture();
    const error = Object.assign(new Error('call failed'), {
      url: 'https://user:s3cret@api.example/v1?api_key=abc',
    });
    logger.error({ err: error }, 'provider call failed');
    const logged = lines[0]?.err as { message: string; url: string };
    expect(logged.message).toBe('call failed');
    expect(logged.url).not.toContain('s3cret');
    expect(logged.url).not.toContain('api_key=abc');
  });
});
