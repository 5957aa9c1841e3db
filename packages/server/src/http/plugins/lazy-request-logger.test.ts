import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyChild, withLazyRequestChildren } from './lazy-request-logger.ts';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level, redact: ['secret'] }, stream);
  let children = 0;
  const child = logger.child.bind(logger);
  // Counts the real children built from the root: the point of the lazy logger is to build none.
  logger.child = ((bindings, options) => {
    children += 1;
    return child(bindings, options);
  }) as typeof logger.child;
  return {
    logger,
    lines,
    children: () => children,
    // Fastify itself derives a logger or two at start-up; only children built per request matter.
    resetChildren: () => {
      children = 0;
    },
  };
}

async function appWith(logger: pino.Logger) {
  const app = Fastify({
    loggerInstance: withLazyRequestChildren(logger as FastifyBaseLogger),
  });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/loud', async (request) => {
    request.log.info('below warn');
    request.log.warn({ secret: 'hunter2' }, 'worth a look');
    return { level: request.log.level };
  });
  app.get('/chatty', { logLevel: 'debug' }, async (request) => {
    request.log.debug('route-level debug');
    return { level: request.log.level };
  });
  await app.ready();
  return app;
}

describe('lazy request logger', () => {
  it('builds no child for requests that log nothing at the configured level', async () => {
    const { logger, lines, children, resetChildren } = capture('warn');
    const app = await appWith(logger);
    resetChildren();
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(children()).toBe(0);
    // Fastify's own "incoming request" / "request completed" lines are info: dropped at warn.
    expect(lines).toEqual([]);
  });

  it('writes a line that passes the level with the request id bound and redaction applied', async () => {
    const { logger, lines, children, resetChildren } = capture('warn');
    const app = await appWith(logger);
    resetChildren();
    const response = await app.inject({ url: '/loud' });
    expect(response.json()).toEqual({ level: 'warn' });
    expect(children()).toBe(1);
    expect(lines.map((line) => line.msg)).toEqual(['worth a look']);
    expect(lines[0]).toMatchObject({
      reqId: expect.stringMatching(/^req-/),
      secret: '[Redacted]',
    });
  });

  it('keeps per-request lines at info, and honours a route-level log level', async () => {
    const { logger, lines } = capture('info');
    const app = await appWith(logger);
    await app.inject({ url: '/quiet' });
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.reqId).toEqual(expect.any(String));

    lines.length = 0;
    const chatty = await app.inject({ url: '/chatty' });
    expect(chatty.json()).toEqual({ level: 'debug' });
    expect(lines.map((line) => line.msg)).toContain('route-level debug');
  });

  it('answers level questions from the parent until a child exists', async () => {
    const { logger } = capture('error');
    const bindings = { reqId: 'r-1' };
    const lazy = lazyChild(logger as FastifyBaseLogger, bindings, {}) as FastifyBaseLogger & {
      isLevelEnabled(level: string): boolean;
    };
    expect(lazy.level).toBe('error');
    expect(lazy.isLevelEnabled('warn')).toBe(false);
    expect(lazy.isLevelEnabled('fatal')).toBe(true);
    lazy.level = 'debug';
    expect(lazy.isLevelEnabled('debug')).toBe(true);
    expect(logger.level).toBe('error');
  });
});
