import { Writable } from 'node:stream';
import { onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { AppDependencies } from '../../src/app-dependencies.ts';
import type { AppInstance } from '../../src/app-instance.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { Lifecycle } from '../../src/lifecycle.ts';
import { createLogger } from '../../src/logger.ts';
import type { HealthCheck } from '../../src/modules/health/health-check.ts';
import { serviceVersion } from '../../src/version.ts';

/** Collects every log line of an app so tests can assert what was (and was not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestAppOptions {
  /** Environment settings on top of the test defaults (silent logs, no .env). */
  env?: Record<string, string>;
  healthChecks?: HealthCheck[];
  /** Capture logs at this level instead of discarding them. */
  captureLogs?: LogCapture;
  /** Leave the lifecycle in `starting` (for readiness tests). */
  notReady?: boolean;
  /** Parts to replace after the defaults are built. */
  overrides?: Partial<AppDependencies>;
}

export interface TestApp {
  app: AppInstance;
  deps: AppDependencies;
  config: Readonly<Config>;
}

/** Builds an app with the chosen parts and closes it when the current test finishes. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({
    env: { LOG_LEVEL: options.captureLogs ? 'debug' : 'silent', NODE_ENV: 'test', ...options.env },
    readDotEnv: false,
  });
  const logger = createLogger(config, options.captureLogs);
  const lifecycle = new Lifecycle();
  if (!options.notReady) lifecycle.markReady();
  const deps: AppDependencies = {
    config,
    logger,
    lifecycle,
    version: serviceVersion,
    healthChecks: options.healthChecks ?? [],
    ...options.overrides,
  };
  const app = await buildApp(deps);
  onTestFinished(async () => {
    await app.close();
  });
  return { app, deps, config };
}
