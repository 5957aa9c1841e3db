import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { OtlpReceiver, type ReceivedSpan } from '../../../test/support/otlp-receiver.ts';
import { httpTracingPlugin } from '../../http/plugins/http-tracing.ts';
import { generateRequestId } from '../../http/plugins/request-id.ts';
import { createTracer, requestIdAttribute, spanNames, type Tracer } from './tracing.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * An app shaped like the analyze path: auth and rate limit in an onRequest hook, then a handler
 * that looks up the cache, calls a provider inside it (one failed attempt reported after the fact,
 * as the router does, then one that answers), validates, and writes the request log.
 */
async function buildTracedApp(tracer: Tracer) {
  const app = Fastify({ genReqId: generateRequestId, bodyLimit: 1_048_576 });
  cleanups.push(() => app.close());
  await app.register(httpTracingPlugin, { tracer });
  app.addHook('onRequest', async () => {
    await tracer.auth(() => sleep(1));
    await tracer.rateLimit(() => sleep(1));
  });
  app.post('/v1/analyze', async () => {
    const data = await tracer.cacheLookup(async (span) => {
      span.setAttributes({ 'sps.cache.hit': false });
      tracer.recordSpan(
        spanNames.providerAttempt,
        { 'gen_ai.provider.name': 'openai', 'sps.attempt': 1 },
        { durationMs: 5, error: new Error('upstream 503') },
      );
      return tracer.providerAttempt(
        { provider: 'heuristic', model: 'heuristic-v1', attempt: 1 },
        async () => {
          await sleep(2);
          return { intent: 'test' };
        },
      );
    });
    await tracer.validation(() => sleep(1));
    await tracer.dbWrite('request_logs', () => sleep(1));
    return { data };
  });
  app.get('/v1/boom', async () => {
    await tracer.validation(() => {
      throw new Error('validator crashed');
    });
  });
  return app;
}

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan[] {
  return spans.filter((span) => span.name === name);
}

describe('tracing the real app', () => {
  it('exports auth, rate limit, cache lookup, provider attempt and validation spans of one POST /v1/analyze', async () => {
    const receiver = await OtlpReceiver.start();
    cleanups.push(() => receiver.close());
    const { app, createKey, deps } = await buildTestApp({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });
    const { key } = await createKey();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, 'x-request-id': 'real-trace-1' },
      payload: { prompt: 'Translate Hello World to French' },
    });
    expect(response.statusCode).toBe(200);
    await deps.services.logWriter.flush();
    await deps.tracer.forceFlush();
    await receiver.waitForSpans(6);

    const spans = receiver.spans.filter((span) => span.attributes[requestIdAttribute] === 'real-trace-1');
    const [root] = byName(spans, spanNames.http);
    expect(root?.parentSpanId).toBeUndefined();
    const childOf = (parent: ReceivedSpan) =>
      spans.filter((span) => span.parentSpanId === parent.spanId).map((span) => span.name);
    expect(childOf(root!)).toEqual(
      expect.arrayContaining([spanNames.auth, spanNames.rateLimit, spanNames.cacheLookup]),
    );
    const [cache] = byName(spans, spanNames.cacheLookup);
    expect(childOf(cache!)).toEqual(
      expect.arrayContaining([spanNames.providerAttempt, spanNames.validation]),
    );
    expect(byName(receiver.spans, spanNames.dbWrite).length).toBeGreaterThan(0);
    expect(JSON.stringify(receiver.spans)).not.toContain(key);
    expect(JSON.stringify(receiver.spans)).not.toContain('Hello World');
  });
});

describe('tracing', () => {
  it('exports the span tree of one analyze request to an OTLP/HTTP receiver', async () => {
    const receiver = await OtlpReceiver.start();
    cleanups.push(() => receiver.close());
    const tracer = createTracer(
      { otlpEndpoint: receiver.url, serviceName: 'sps-test' },
      { version: '9.9.9' },
    );
    cleanups.push(() => tracer.shutdown());
    const app = await buildTracedApp(tracer);

    const response = await app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-request-id': 'trace-me-1' },
      payload: { prompt: 'hello' },
    });
    expect(response.statusCode).toBe(200);
    await tracer.forceFlush();
    await receiver.waitForSpans(8);

    const spans = receiver.spans;
    const [root] = byName(spans, spanNames.http);
    expect(root).toBeDefined();
    expect(root!.parentSpanId).toBeUndefined();
    expect(root!.serviceName).toBe('sps-test');
    expect(root!.attributes).toMatchObject({
      'http.route': '/v1/analyze',
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    const childOf = (parent: ReceivedSpan) => spans.filter((span) => span.parentSpanId === parent.spanId);
    expect(
      childOf(root!)
        .map((span) => span.name)
        .sort(),
    ).toEqual(
      [
        spanNames.auth,
        spanNames.rateLimit,
        spanNames.cacheLookup,
        spanNames.validation,
        spanNames.dbWrite,
      ].sort(),
    );
    const [cache] = byName(spans, spanNames.cacheLookup);
    const attempts = childOf(cache!);
    expect(attempts.map((span) => span.name)).toEqual([spanNames.providerAttempt, spanNames.providerAttempt]);
    expect(attempts.map((span) => span.attributes['gen_ai.provider.name']).sort()).toEqual([
      'heuristic',
      'openai',
    ]);
    expect(spans).toHaveLength(8);
    for (const span of spans) {
      expect(span.traceId).toBe(root!.traceId);
      expect(span.attributes[requestIdAttribute]).toBe('trace-me-1');
    }
    expect(JSON.stringify(spans)).not.toContain('hello'); // the prompt never goes into a span
  });

  it('keeps concurrent requests over real sockets in separate traces', async () => {
    const receiver = await OtlpReceiver.start();
    cleanups.push(() => receiver.close());
    const tracer = createTracer({ otlpEndpoint: `${receiver.url}/v1/traces`, serviceName: 'sps-test' });
    cleanups.push(() => tracer.shutdown());
    const app = await buildTracedApp(tracer);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });

    // Over a socket the body arrives on stream events outside the request's async context: the
    // handler's spans only nest under the request span because the plugin re-enters it.
    const responses = await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        fetch(`${base}/v1/analyze`, {
          method: 'POST',
          headers: { 'x-request-id': `req-${id}`, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: 'x'.repeat(200_000) }),
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    await tracer.forceFlush();
    await receiver.waitForSpans(24);
    const roots = byName(receiver.spans, spanNames.http);
    expect(new Set(roots.map((span) => span.traceId)).size).toBe(3);
    for (const root of roots) {
      const inTrace = receiver.spans.filter((span) => span.traceId === root.traceId);
      expect(inTrace).toHaveLength(8);
      expect(inTrace.filter((span) => span.parentSpanId === root.spanId)).toHaveLength(5);
      expect(new Set(inTrace.map((span) => span.attributes[requestIdAttribute]))).toEqual(
        new Set([root.attributes[requestIdAttribute]]),
      );
    }
  });

  it('marks failing stages and 5xx answers as errors', async () => {
    const receiver = await OtlpReceiver.start();
    cleanups.push(() => receiver.close());
    const tracer = createTracer({ otlpEndpoint: receiver.url, serviceName: 'sps-test' });
    cleanups.push(() => tracer.shutdown());
    const app = await buildTracedApp(tracer);
    expect((await app.inject({ method: 'GET', url: '/v1/boom' })).statusCode).toBe(500);
    await tracer.forceFlush();
    await receiver.waitForSpans(4);
    const [root] = byName(receiver.spans, spanNames.http);
    expect(root!.attributes['http.response.status_code']).toBe(500);
    expect(byName(receiver.spans, spanNames.validation)[0]!.parentSpanId).toBe(root!.spanId);
  });

  it('is off without an endpoint: stages run, nothing is exported', async () => {
    const tracer = createTracer({ serviceName: 'sps-test' });
    expect(tracer.enabled).toBe(false);
    const app = await buildTracedApp(tracer);
    const response = await app.inject({ method: 'POST', url: '/v1/analyze', payload: {} });
    expect(response.json()).toEqual({ data: { intent: 'test' } });
    await expect(tracer.validation(() => Promise.reject(new Error('still thrown')))).rejects.toThrow(
      'still thrown',
    );
  });
});
