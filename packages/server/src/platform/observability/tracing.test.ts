import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { createTracer, requestIdAttribute, spanNames, tracesUrl } from './tracing.ts';

function traced() {
  const exporter = new InMemorySpanExporter();
  const tracer = createTracer({ serviceName: 'test' }, { exporter, exportImmediately: true });
  return { exporter, tracer };
}

describe('Tracer', () => {
  it('nests withSpan and startSpan under the active span and keeps the request id', async () => {
    const { exporter, tracer } = traced();
    const started = tracer.startRequest('req-42', { 'http.route': '/v1/analyze' })!;
    await tracer.runIn(started.active, () =>
      tracer.cacheLookup(async () => {
        const manual = tracer.startSpan('manual', { step: 1 });
        manual.end();
        await tracer.dbWrite('request_logs', () => undefined);
      }),
    );
    started.span.end();

    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((span) => span.name === name)!;
    const root = byName(spanNames.http);
    expect(byName(spanNames.cacheLookup).parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(byName('manual').parentSpanContext?.spanId).toBe(
      byName(spanNames.cacheLookup).spanContext().spanId,
    );
    expect(byName(spanNames.dbWrite).attributes['db.collection.name']).toBe('request_logs');
    for (const span of spans) expect(span.attributes[requestIdAttribute]).toBe('req-42');
  });

  it('records an error on the span and rethrows it', async () => {
    const { exporter, tracer } = traced();
    await expect(tracer.validation(() => Promise.reject(new TypeError('bad schema')))).rejects.toThrow(
      'bad schema',
    );
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(2);
    expect(span!.events[0]!.name).toBe('exception');
  });

  it('outside any request, spans are roots without a request id', async () => {
    const { exporter, tracer } = traced();
    await tracer.dbWrite('request_logs', () => undefined);
    const [span] = exporter.getFinishedSpans();
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.attributes[requestIdAttribute]).toBeUndefined();
  });

  it('is a pass-through when off', async () => {
    const tracer = createTracer({ serviceName: 'test' });
    expect(tracer.enabled).toBe(false);
    expect(tracer.startRequest('req', {})).toBeUndefined();
    expect(await tracer.withSpan('x', {}, () => 7)).toBe(7);
    tracer.recordSpan('y', {}, { durationMs: 3 });
    await tracer.shutdown();
  });

  it('appends /v1/traces to a collector base URL only', () => {
    expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl('http://collector:4318/v1/traces')).toBe('http://collector:4318/v1/traces');
  });
});
