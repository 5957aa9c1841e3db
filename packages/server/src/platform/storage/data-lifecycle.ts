import type { RetentionRule } from './retention.ts';

/** What a deletion request covers: given request ids, or everything of a key and/or a time range. */
export interface ErasureScope {
  requestIds?: readonly string[];
  apiKeyId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/**
 * A data class outside the request logs that a deletion request must reach (job results, …): erase
 * prompts and answers in `scope`, keep what billing counts, and say how many records were touched.
 */
export interface ErasureHook {
  dataClass: string;
  erase(scope: ErasureScope): Promise<number>;
}

/**
 * Where features register their data classes, so one retention loop and one deletion path cover
 * every table: `retentionRules` run in the scheduled retention task, `erasureHooks` in every deletion
 * (`DELETE /v1/requests/{id}`, `POST /v1/data/deletions`). Register before the app starts serving.
 */
export class DataLifecycle {
  readonly retentionRules: RetentionRule[] = [];
  readonly erasureHooks: ErasureHook[] = [];

  registerRetention(rule: RetentionRule): void {
    this.retentionRules.push(rule);
  }

  registerErasure(hook: ErasureHook): void {
    this.erasureHooks.push(hook);
  }
}
