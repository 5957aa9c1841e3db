// First, before the module graph loads and collects: no allocation-site pretenuring (ADR 0026), and
// nextTick's object shapes kept stable (ADR 0020).
import './lib/no-pretenuring.ts';
import './lib/pin-tick-object-maps.ts';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config/index.ts';
import { createRuntime } from './context.ts';
import { compactHeap } from './lib/compact-heap.ts';
import { createLogger } from './lib/logger.ts';

/**
 * Process entry: parse config once, build the runtime and the app, listen, and shut down gracefully on
 * SIGINT/SIGTERM (stop accepting, finish in-flight requests, flush buffers, close pools, exit 0) within
 * `SHUTDOWN_TIMEOUT_MS`, after which the process exits 1 regardless.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config);
  let runtime: Awaited<ReturnType<typeof createRuntime>>;
  try {
    runtime = await createRuntime(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.stderr.write(`Could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const app = await buildApp(runtime.deps);

  closeWithGrace(
    {
      delay: config.server.shutdownTimeoutMs,
      logger: { error: (message: unknown) => logger.error(String(message)) },
    },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'fatal error, shutting down');
      logger.info({ signal }, 'shutting down');
      runtime.deps.lifecycle.markStopping();
      await app.close();
      await runtime.close();
      logger.info('shutdown complete');
      logger.flush();
    },
  );

  try {
    await app.ready();
    const compacted = compactHeap();
    logger.debug(compacted, 'heap compacted after start-up');
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    logger.fatal({ err: error }, 'could not listen');
    await runtime.close();
    process.exit(1);
  }
  runtime.deps.lifecycle.markReady();

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const shownHost =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const base =
    config.server.publicUrl ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info({ url: base }, 'listening');
  process.stdout.write(
    [
      '',
      `Structured Prompt Service ${runtime.deps.version} is listening on ${base}`,
      `  API docs:  ${base}/docs  (ReDoc: ${base}/redoc, spec: ${base}/openapi.json)`,
      `  Health:    ${base}/v1/health`,
      ...runtime.banner,
      '',
    ].join('\n'),
  );
}

await main();
