import type { HealthCheck } from '../health-check.ts';
import type { TieredCache } from './tiered-cache.ts';

/**
 * The cache's entry in `/v1/health`. Optional: when Redis is down the service still answers from L1,
 * so the report says `degraded`, never `unhealthy`. Undefined without Redis, where there is nothing
 * to probe (the report shows `not_configured`).
 */
export function createCacheHealthCheck(cache: TieredCache): HealthCheck | undefined {
  if (!cache.hasL2) return undefined;
  return {
    name: 'cache',
    required: false,
    check: (signal) => cache.pingL2(signal),
  };
}
