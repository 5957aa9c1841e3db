import { describe, expect, it } from 'vitest';
import { Metrics } from '../../platform/observability/metrics.ts';
import { analyzeMetricsObserver } from './analyze-metrics.ts';
import type { AnalyzePipelineResult } from './analyze-pipeline.ts';

function sample(body: string, line: string): number | undefined {
  const found = body.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('analyzeMetricsObserver', () => {
  const result = {
    validation: { status: 'passed_relaxed', errors: [], attempts: 3 },
    confidence: 0.42,
    provider: 'openai',
    usage: { promptTokens: 100, completionTokens: 20, totalTokens: 120, costUsd: 0.01 },
  } as unknown as AnalyzePipelineResult;

  it('counts validation, attempts and confidence, and tokens only for requests that computed', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    const observer = analyzeMetricsObserver(metrics);
    const response = {} as Parameters<typeof observer.onAnalyzed>[0]['response'];
    observer.onAnalyzed({ response, result, cached: false, coalesced: false });
    observer.onAnalyzed({ response, result, cached: true, coalesced: false });
    observer.onAnalyzed({ response, result, cached: false, coalesced: true });
    observer.onSuspiciousInput('script_tag');
    observer.onLimitRejected('budget');

    const { body } = await metrics.render();
    expect(sample(body, 'sps_validation_total{status="passed_relaxed"}')).toBe(3);
    expect(sample(body, 'sps_validation_attempts_count')).toBe(2);
    expect(sample(body, 'sps_validation_attempts_sum')).toBe(6);
    expect(sample(body, 'sps_confidence_count')).toBe(3);
    expect(sample(body, 'sps_llm_tokens_total{provider="openai",kind="prompt"}')).toBe(100);
    expect(sample(body, 'sps_llm_tokens_total{provider="openai",kind="completion"}')).toBe(20);
    expect(sample(body, 'sps_suspicious_inputs_total{kind="script_tag"}')).toBe(1);
    expect(sample(body, 'sps_limit_rejections_total{kind="budget"}')).toBe(1);
  });
});
