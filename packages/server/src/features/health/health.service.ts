import type { DependencyCheck, HealthReport, HealthStatus } from '@structured-prompt/contracts';
import type { Lifecycle } from '../../lifecycle.ts';
import type { HealthCheck } from '../../platform/health-check.ts';

/** Dependencies every report lists, so a missing one reads `not_configured` instead of vanishing. */
const reportedDependencies = ['database', 'cache', 'queue'] as const;

export interface HealthServiceOptions {
  checks: readonly HealthCheck[];
  lifecycle: Lifecycle;
  version: string;
  checkTimeoutMs: number;
  /** Receives the real failure reason; the public report only says "timed out" or "unavailable". */
  logger?: { warn(object: object, message: string): void };
}

export class HealthService {
  readonly #options: HealthServiceOptions;

  constructor(options: HealthServiceOptions) {
    this.#options = options;
  }

  /** Runs every check in parallel; a check that hangs counts as down after `checkTimeoutMs`. */
  async report(): Promise<HealthReport> {
    const { checks, lifecycle, version } = this.#options;
    const results = await Promise.all(
      checks.map(async (check) => [check.name, await this.#run(check)] as const),
    );
    const byName: Record<string, DependencyCheck> = {};
    for (const name of reportedDependencies) {
      byName[name] = { status: 'not_configured', latency_ms: null, required: false };
    }
    for (const [name, result] of results) byName[name] = result;
    return {
      status: overallStatus(Object.values(byName)),
      version,
      uptime_seconds: lifecycle.uptimeSeconds(),
      checks: byName,
    };
  }

  /** Ready means: started, not stopping, and every required dependency answers. */
  async readiness(): Promise<{ ready: boolean; reason?: string }> {
    const state = this.#options.lifecycle.state;
    if (state !== 'ready') return { ready: false, reason: state };
    const report = await this.report();
    const down = Object.entries(report.checks).filter(
      ([, check]) => check.required && check.status === 'down',
    );
    if (down.length > 0) return { ready: false, reason: `${down.map(([name]) => name).join(', ')} down` };
    return { ready: true };
  }

  async #run(check: HealthCheck): Promise<DependencyCheck> {
    const controller = new AbortController();
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new TimeoutMarker(this.#options.checkTimeoutMs);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Settle as a timeout before aborting, so the check's own abort error does not win the race.
        reject(timedOut);
        controller.abort();
      }, this.#options.checkTimeoutMs);
    });
    try {
      await Promise.race([check.check(controller.signal), timeout]);
      return { status: 'up', latency_ms: elapsed(started), required: check.required };
    } catch (error) {
      this.#options.logger?.warn({ err: error, dependency: check.name }, 'health check failed');
      const detail = error === timedOut ? timedOut.message : 'unavailable';
      return { status: 'down', latency_ms: elapsed(started), required: check.required, detail };
    } finally {
      clearTimeout(timer);
    }
  }
}

function overallStatus(checks: DependencyCheck[]): HealthStatus {
  if (checks.some((check) => check.required && check.status === 'down')) return 'unhealthy';
  if (checks.some((check) => check.status === 'down')) return 'degraded';
  return 'healthy';
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

class TimeoutMarker extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}
