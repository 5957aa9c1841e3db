import type { LoadSummary } from '../load-generator.ts';
import type { BenchResults } from './report.ts';
import type { LoadRow } from './scenarios.ts';

/** Figures for the harness's own unit tests: a load summary with plain defaults, fields overridden. */
export function loadSummary(fields: Partial<LoadSummary> = {}): LoadSummary {
  return {
    requestsPerSecond: 1000,
    p50Ms: 1,
    p90Ms: 1,
    p99Ms: 1,
    maxMs: 1,
    completed: 1000,
    completedWithWarmup: 1000,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: { 200: 1000 },
    durationSeconds: 1,
    windowStartEpochMs: 0,
    windowEndEpochMs: 1000,
    ...fields,
  };
}

export function loadRow(scenario: string, fields: Partial<LoadRow> = {}): LoadRow {
  return { scenario, connections: 64, ...loadSummary(), ...fields };
}

export function benchResults(
  rows: LoadRow[],
  pairedHit?: BenchResults['pairedHit'],
  pairedSlow?: BenchResults['pairedSlow'],
): Omit<BenchResults, 'floors'> {
  return {
    startedAt: '',
    environment: {},
    options: {},
    rows,
    memory: { idleRssMb: 120 },
    pairedHit,
    pairedSlow,
  };
}
