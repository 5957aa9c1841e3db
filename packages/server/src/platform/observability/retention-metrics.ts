import { Counter, Gauge, type Registry } from 'prom-client';
import type { PurgeResult, RetentionObserver } from '../storage/retention.ts';
import { metricPrefix } from './metric-families.ts';

const snake = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** What the retention task removed, per data class, and when it last succeeded. */
export function retentionMetrics(registry: Registry): RetentionObserver {
  const removed = new Counter({
    name: `${metricPrefix}retention_removed_total`,
    help: 'Rows deleted (or, for prompts, erased) by the retention task, by data class.',
    labelNames: ['data_class'],
    registers: [registry],
  });
  const runs = new Counter({
    name: `${metricPrefix}retention_runs_total`,
    help: 'Retention task runs by outcome (success, failure).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const lastSuccess = new Gauge({
    name: `${metricPrefix}retention_last_success_timestamp_seconds`,
    help: 'Unix time of the last retention run that completed.',
    registers: [registry],
  });
  return {
    purged(result: PurgeResult) {
      for (const [dataClass, count] of Object.entries(result)) {
        if (count > 0) removed.inc({ data_class: snake(dataClass) }, count);
      }
      runs.inc({ outcome: 'success' });
      lastSuccess.set(Date.now() / 1000);
    },
    failed() {
      runs.inc({ outcome: 'failure' });
    },
  };
}
