import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { ProviderError } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.ts';
import { routerMetricsEvents } from './router-metrics.ts';
import { createTracer, spanNames } from './tracing.ts';

function sample(body: string, line: string): number | undefined {
  const found = body.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('routerMetricsEvents', () => {
  it('turns router events into LLM metrics and provider.attempt spans under the active span', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const exporter = new InMemorySpanExporter();
    const tracer = createTracer({ serviceName: 'test' }, { exporter, exportImmediately: true });
    const events = routerMetricsEvents(metrics, tracer);
    const error = new ProviderError('openai', 'timeout', 'took too long');

    await tracer.cacheLookup(() => {
      events.onAttempt?.({
        provider: 'openai',
        model: 'gpt-4o-mini',
        attempt: 1,
        outcome: 'failure',
        durationMs: 30_000,
        costUsd: 0,
        error,
      });
      events.onRetry?.({ provider: 'openai', model: 'gpt-4o-mini', retry: 1, delayMs: 100, error });
      events.onFallback?.({ from: 'openai', to: 'heuristic', error });
      events.onCircuitChange?.({ provider: 'openai', state: 'open' });
      events.onAttempt?.({
        provider: 'heuristic',
        model: 'heuristic',
        attempt: 1,
        outcome: 'success',
        durationMs: 2,
        costUsd: 0.5,
      });
    });

    const { body } = await metrics.render();
    expect(
      sample(body, 'sps_llm_requests_total{provider="openai",model="gpt-4o-mini",outcome="failure"}'),
    ).toBe(1);
    expect(sample(body, 'sps_llm_errors_total{provider="openai",kind="timeout"}')).toBe(1);
    expect(sample(body, 'sps_llm_request_duration_seconds_bucket{le="15",provider="openai"}')).toBe(0);
    expect(sample(body, 'sps_llm_request_duration_seconds_bucket{le="30",provider="openai"}')).toBe(1);
    expect(sample(body, 'sps_llm_cost_usd_total{provider="heuristic"}')).toBe(0.5);
    expect(sample(body, 'sps_llm_retries_total{provider="openai"}')).toBe(1);
    expect(sample(body, 'sps_llm_fallbacks_total{from="openai",to="heuristic"}')).toBe(1);
    expect(sample(body, 'sps_provider_circuit_state{provider="openai"}')).toBe(2);

    const spans = exporter.getFinishedSpans();
    const lookup = spans.find((span) => span.name === spanNames.cacheLookup)!;
    const attempts = spans.filter((span) => span.name === spanNames.providerAttempt);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts)
      expect(attempt.parentSpanContext?.spanId).toBe(lookup.spanContext().spanId);
    expect(attempts[0]!.status.code).toBe(2); // ERROR
    expect(attempts[0]!.attributes['gen_ai.provider.name']).toBe('openai');
  });
});
