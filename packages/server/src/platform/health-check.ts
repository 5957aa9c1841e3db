/**
 * One dependency probed by `/v1/health`. Each infrastructure part (database, cache, queue) exports a
 * factory returning one of these; the health service runs them in parallel under a short timeout.
 */
export interface HealthCheck {
  /** Key in the report's `checks` object: `database`, `cache`, `queue`, … */
  readonly name: string;
  /** Down + required → unhealthy and not ready; down + optional → degraded. */
  readonly required: boolean;
  /** Resolves when the dependency answers; rejects (or never settles) when it does not. */
  check(signal: AbortSignal): Promise<void>;
}
