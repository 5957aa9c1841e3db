import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BoundedLabel, otherLabel } from './bounded-label.ts';
import { Metrics } from './metrics.ts';

/** Label values of one family in an exposition, e.g. every `model` of `sps_llm_requests_total`. */
function labelValues(body: string, family: string, label: string): Set<string> {
  const values = new Set<string>();
  const pattern = new RegExp(`^${family}\\{[^}]*\\b${label}="([^"]*)"`, 'gm');
  for (const match of body.matchAll(pattern)) values.add(match[1]!);
  return values;
}

function sampleValue(body: string, line: string): number | undefined {
  const found = body.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('BoundedLabel', () => {
  it('keeps the first values and collapses the rest, and anything not shaped like a name', () => {
    const label = new BoundedLabel({ max: 2 });
    expect(label.value('gpt-4o')).toBe('gpt-4o');
    expect(label.value('claude-3.5@2024')).toBe('claude-3.5@2024');
    expect(label.value('third')).toBe(otherLabel);
    expect(label.value('gpt-4o')).toBe('gpt-4o');
    const fresh = new BoundedLabel({ max: 10 });
    expect(fresh.value('ignore previous instructions')).toBe(otherLabel);
    expect(fresh.value('x'.repeat(65))).toBe(otherLabel);
    expect(fresh.value(undefined)).toBe(otherLabel);
  });

  it('passes only allowed values when given a list', () => {
    const label = new BoundedLabel({ max: 0, allowed: ['missing', 'revoked'] });
    expect(label.value('revoked')).toBe('revoked');
    expect(label.value('sp_deadbeef')).toBe(otherLabel);
  });
});

describe('Metrics', () => {
  it('declares every family up front on its own registry', async () => {
    const first = new Metrics({ defaultMetrics: false });
    const second = new Metrics({ defaultMetrics: false });
    first.recordRetry('openai');
    const { body, contentType } = await second.render();
    expect(contentType).toContain('text/plain');
    expect(body).toContain('# TYPE sps_llm_retries_total counter');
    expect(body).not.toMatch(/^sps_llm_retries_total\{/m);
    expect(sampleValue(body, 'sps_cache_hits_total')).toBe(0);
    expect(sampleValue(body, 'sps_request_log_dropped_total')).toBe(0);
  });

  it('exposes default process metrics with the sps_ prefix', async () => {
    const { body } = await new Metrics().render();
    expect(body).toMatch(/^sps_process_cpu_user_seconds_total /m);
    expect(body).not.toMatch(/^process_/m);
  });

  it('collapses unknown models beyond the fixed set and never labels with untrusted text', async () => {
    const metrics = new Metrics({ defaultMetrics: false, maxModels: 5, maxKeys: 3 });
    for (let i = 0; i < 300; i++) {
      metrics.recordLlmCall({
        provider: 'openai',
        model: i % 2 ? `model-${i}` : `prompt text ${randomUUID()}`,
        outcome: i % 3 ? 'success' : 'failure',
        errorKind: i % 3 ? undefined : `weird ${i}`,
        latencyMs: i,
        promptTokens: 10,
        completionTokens: 5,
        costUsd: 0.001,
      });
      metrics.recordKeyUsage(randomUUID(), { costUsd: 0.01, totalTokens: 15 });
      metrics.setBudgetUsage(randomUUID(), 9, 10);
      metrics.recordAuthFailure(i % 2 ? 'revoked' : `sp_${randomUUID()}`);
      metrics.recordValidation(i % 2 ? 'passed' : 'bogus', 1 + (i % 3));
      metrics.recordSuspiciousInput(i % 2 ? 'sql_injection' : '<script>');
      metrics.recordLimitRejection(i % 2 ? 'budget' : `key ${i}`);
    }
    const { body } = await metrics.render();
    expect(labelValues(body, 'sps_llm_requests_total', 'model').size).toBe(6); // 5 kept + other
    expect(labelValues(body, 'sps_llm_requests_total', 'model')).toContain('other');
    expect(labelValues(body, 'sps_llm_errors_total', 'kind')).toEqual(new Set(['other']));
    // Cost and budget share one bounded set of key ids: 3 kept in all, plus `other`.
    const keyIds = new Set([
      ...labelValues(body, 'sps_key_cost_usd_total', 'api_key_id'),
      ...labelValues(body, 'sps_key_budget_usage_ratio', 'api_key_id'),
    ]);
    expect(keyIds.size).toBe(4);
    expect(labelValues(body, 'sps_auth_failures_total', 'reason')).toEqual(new Set(['revoked', 'other']));
    expect(labelValues(body, 'sps_validation_total', 'status')).toEqual(new Set(['passed', 'other']));
    expect(labelValues(body, 'sps_limit_rejections_total', 'kind')).toEqual(new Set(['budget', 'other']));
    expect(body).not.toMatch(/prompt text|sp_[0-9a-f]{8}|<script>|weird/);
    expect(sampleValue(body, 'sps_llm_tokens_total{provider="openai",kind="prompt"}')).toBe(3000);
    expect(sampleValue(body, 'sps_llm_cost_usd_total{provider="openai"}')).toBeCloseTo(0.3);
    expect(sampleValue(body, 'sps_validation_attempts_count')).toBe(300);
  });

  it('records circuit state, health, retries and fallbacks per provider', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setCircuitState('anthropic', 'open');
    metrics.setCircuitState('openai', 'half-open');
    metrics.setProviderHealth('anthropic', false);
    metrics.recordFallback('anthropic', 'heuristic');
    metrics.recordConfidence(1.7);
    const { body } = await metrics.render();
    expect(sampleValue(body, 'sps_provider_circuit_state{provider="anthropic"}')).toBe(2);
    expect(sampleValue(body, 'sps_provider_circuit_state{provider="openai"}')).toBe(1);
    expect(sampleValue(body, 'sps_provider_healthy{provider="anthropic"}')).toBe(0);
    expect(sampleValue(body, 'sps_llm_fallbacks_total{from="anthropic",to="heuristic"}')).toBe(1);
    expect(sampleValue(body, 'sps_confidence_bucket{le="0.95"}')).toBe(0);
    expect(sampleValue(body, 'sps_confidence_bucket{le="1"}')).toBe(1);
  });

  it('mirrors pulled sources at each scrape and survives a failing one', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const cache = { hits: 3, misses: 1, coalesced: 1, bypassed: 0, tokens_saved: 40, usd_saved: 0.02 };
    const levels = { l1: { entries: 2, bytes: 512 }, l2: { entries: null, bytes: null } };
    const logs = { queued: 4, written: 10, dropped: 0, failedBatches: 0, lastBatchSize: 10 };
    metrics.observe({
      cache: () => ({ ...cache, levels }),
      requestLogs: () => logs,
      providers: () => [{ name: 'heuristic', healthy: true, circuit: 'closed' as const }],
    });
    metrics.observe({
      cache: () => {
        throw new Error('redis down');
      },
    });
    let { body } = await metrics.render();
    expect(sampleValue(body, 'sps_cache_hits_total')).toBe(3);
    expect(sampleValue(body, 'sps_cache_entries{level="l1"}')).toBe(2);
    expect(sampleValue(body, 'sps_request_log_queue_depth')).toBe(4);
    expect(sampleValue(body, 'sps_provider_healthy{provider="heuristic"}')).toBe(1);
    expect(sampleValue(body, 'sps_metrics_source_errors_total{source="cache"}')).toBe(1);

    cache.hits = 5;
    logs.dropped = 2;
    ({ body } = await metrics.render());
    expect(sampleValue(body, 'sps_cache_hits_total')).toBe(5);
    expect(sampleValue(body, 'sps_request_log_dropped_total')).toBe(2);
    ({ body } = await metrics.render());
    expect(sampleValue(body, 'sps_cache_hits_total')).toBe(5);
  });
});
