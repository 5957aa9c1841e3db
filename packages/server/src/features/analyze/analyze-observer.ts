import type { AnalyzeResponse } from '@structured-prompt/contracts';
import type { AnalyzePipelineResult } from './analyze-pipeline.ts';

/** Hooks for metrics (and anything else that watches outcomes) without coupling the service to them. */
export interface AnalyzeObserver {
  onAnalyzed(event: {
    response: AnalyzeResponse;
    result: AnalyzePipelineResult;
    cached: boolean;
    coalesced: boolean;
  }): void;
  onSuspiciousInput(kind: string): void;
  onLimitRejected(kind: 'budget' | 'tokens'): void;
  /** What a key was billed for one computed (not cached) answer. */
  onKeyUsage(keyId: string, usage: { costUsd: number; totalTokens: number }): void;
  /** Spend against a key's monthly budget after a reservation. */
  onBudget(keyId: string, spentUsd: number, limitUsd: number): void;
}
