/** What one request measures its answer against; neither is part of the cache key. */
export interface RequestLimits {
  confidenceThreshold?: number | undefined;
  maxCostUsd?: number | undefined;
}

/** What this request got: the answer's confidence (none for a 422) and what this request paid. */
export interface RequestMeasures {
  confidence?: number;
  costUsd: number;
}

/**
 * Warnings about one request rather than about its answer, computed afresh for every request and
 * never stored with a cached answer: another caller may get the same answer with other limits, or
 * get it from the cache without paying for it.
 */
export function requestWarnings(measures: RequestMeasures, limits: RequestLimits): string[] {
  const warnings: string[] = [];
  const { confidenceThreshold, maxCostUsd } = limits;
  if (
    confidenceThreshold !== undefined &&
    measures.confidence !== undefined &&
    measures.confidence < confidenceThreshold
  ) {
    warnings.push(
      `confidence ${measures.confidence} is below the requested confidence_threshold ${confidenceThreshold}`,
    );
  }
  if (maxCostUsd !== undefined && measures.costUsd > maxCostUsd) {
    warnings.push(`the cost $${measures.costUsd} exceeded max_cost_usd $${maxCostUsd}`);
  }
  return warnings;
}
