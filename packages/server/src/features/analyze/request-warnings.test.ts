import { describe, expect, it } from 'vitest';
import { requestWarnings } from './request-warnings.ts';

describe('requestWarnings', () => {
  it('warns when the confidence is below the request’s threshold, and only then', () => {
    expect(requestWarnings({ confidence: 0.4, costUsd: 0 }, { confidenceThreshold: 0.5 })).toEqual([
      'confidence 0.4 is below the requested confidence_threshold 0.5',
    ]);
    expect(requestWarnings({ confidence: 0.5, costUsd: 0 }, { confidenceThreshold: 0.5 })).toEqual([]);
    expect(requestWarnings({ confidence: 0.4, costUsd: 0 }, {})).toEqual([]);
  });

  it('warns when what this request paid exceeded its max_cost_usd', () => {
    expect(requestWarnings({ costUsd: 0.02 }, { maxCostUsd: 0.01 })).toEqual([
      'the cost $0.02 exceeded max_cost_usd $0.01',
    ]);
    // A cached or coalesced answer cost this request nothing.
    expect(requestWarnings({ confidence: 1, costUsd: 0 }, { maxCostUsd: 0 })).toEqual([]);
  });
});
