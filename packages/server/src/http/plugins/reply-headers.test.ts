import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { directReplyHeaders, forwardingHeaders, replyHeaders } from './reply-headers.ts';

describe('replyHeaders', () => {
  it("writes Fastify's own header object on the pinned Fastify (the fast path is not lost)", () => {
    expect(directReplyHeaders).toBe(true);
  });

  it('sends what was stored, and Fastify and the bag see each other’s headers', async () => {
    const app = Fastify();
    app.addHook('onRequest', (_request, reply, done) => {
      replyHeaders(reply)['x-from-bag'] = 'one';
      done();
    });
    app.get('/', (_request, reply) => {
      reply.header('x-from-fastify', 'two');
      const bag = replyHeaders(reply);
      return { seenByFastify: reply.getHeader('x-from-bag'), seenByBag: bag['x-from-fastify'] };
    });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-from-bag']).toBe('one');
    expect(response.headers['x-from-fastify']).toBe('two');
    expect(response.json()).toEqual({ seenByFastify: 'one', seenByBag: 'two' });
    await app.close();
  });

  it('falls back to reply.header() for every store, should a Fastify upgrade move the object', async () => {
    const app = Fastify();
    app.get('/', (_request, reply) => {
      const bag = forwardingHeaders(reply);
      bag['x-forwarded-store'] = 'three';
      return { readBack: bag['x-forwarded-store'], viaFastify: reply.getHeader('x-forwarded-store') };
    });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.headers['x-forwarded-store']).toBe('three');
    expect(response.json()).toEqual({ readBack: 'three', viaFastify: 'three' });
    await app.close();
  });
});
