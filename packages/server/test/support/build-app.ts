import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { CreateApiKeyRequest } from '@structured-prompt/contracts';
import { onTestFinished } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/index.ts';
import { type AppContext, createContext } from '../../src/context.ts';
import type { AppInstance } from '../../src/http/app-instance.ts';
import { createLogger } from '../../src/lib/logger.ts';
import type { HealthCheck } from '../../src/platform/health-check.ts';
import type { Infrastructure } from '../../src/services.ts';
import { createTestDatabase } from './test-databases.ts';

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
  /** Infrastructure to use instead of a fresh SQLite file and in-memory stores (e.g. shared Redis). */
  infra?: Partial<Infrastructure>;
  /** Receives finished spans (tracing is on when given, or when the config sets an OTLP endpoint). */
  spanExporter?: SpanExporter;
}

export interface TestApp {
  app: AppInstance;
  deps: AppContext;
  config: Readonly<Config>;
  infra: Infrastructure;
  /** Issues a key through the real service and returns its raw secret and id. */
  createKey(input?: Partial<CreateApiKeyRequest>): Promise<{ key: string; id: string }>;
}

/**
 * The app as the process builds it (the same composition root), on a fresh SQLite file and in-memory
 * stores unless the test brings its own parts; closed when the current test finishes.
 */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  // Each app its own request-log journal, even when several share one database.
  const journalDir = mkdtempSync(join(tmpdir(), 'sps-journal-'));
  const config = loadConfig({
    env: {
      LOG_LEVEL: options.captureLogs ? 'debug' : 'silent',
      NODE_ENV: 'test',
      LOG_JOURNAL_DIR: journalDir,
      ...options.env,
    },
    readDotEnv: false,
  });
  const logger = createLogger(config, options.captureLogs);
  const ownDatabase = options.infra?.database ? undefined : await createTestDatabase('sqlite');
  const context = await createContext(config, logger, {
    infra: { ...options.infra, database: options.infra?.database ?? ownDatabase!.database },
    healthChecks: options.healthChecks,
    spanExporter: options.spanExporter,
    exportSpansImmediately: true,
  });
  if (!options.notReady) context.lifecycle.markReady();
  const app = await buildApp(context);
  onTestFinished(async () => {
    await app.close();
    await context.close();
    await ownDatabase?.destroy();
    rmSync(journalDir, { recursive: true, force: true });
  });
  const actor = { keyId: null, ip: '127.0.0.1', requestId: null };
  const createKey = async (input: Partial<CreateApiKeyRequest> = {}) => {
    const { record, key } = await context.services.apiKeys.create(
      { name: 'test', scopes: ['user'], ...input },
      actor,
    );
    return { key, id: record.id };
  };
  return { app, deps: context, config, infra: context.infra, createKey };
}
