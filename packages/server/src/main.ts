import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config/index.ts';
import { type AppContext, createContext } from './context.ts';
import { createLogger } from './lib/logger.ts';

/**
 * Process entry: read the config once, build the context and the app, listen, and shut down gracefully
 * on SIGINT/SIGTERM (stop accepting, finish in-flight requests, flush buffers, close pools, exit 0)
 * within `SHUTDOWN_TIMEOUT_MS`, after which the process exits 1 regardless.
 */
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config);
  const context = await createContext(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, 'could not start');
    process.stderr.write(`Could not start: ${(error as Error).message}\n`);
    process.exit(1);
  });
  const banner = await firstStartBanner(context);
  const app = await buildApp(context);

  logStrayRejections(logger);
  closeWithGrace(
    {
      delay: config.server.shutdownTimeoutMs,
      logger: { error: (message: unknown) => logger.error(String(message)) },
      // A rejected promise nobody awaited is a bug to log, not a reason to stop serving everyone.
      skip: ['unhandledRejection'],
    },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'fatal error, shutting down');
      logger.info({ signal }, 'shutting down');
      context.lifecycle.markStopping();
      await app.close();
      await context.close();
      logger.info('shutdown complete');
      logger.flush();
    },
  );

  try {
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    logger.fatal({ err: error }, 'could not listen');
    await context.close();
    process.exit(1);
  }
  context.lifecycle.markReady();
  printWelcome(config, logger, context.version, app.server.address(), banner);
}

/**
 * Errors while serving a request reach the error handler through the request's own promise chain and
 * fail that request alone (500 problem, logged). A rejection nobody awaited has no request left to
 * fail: it is logged and the process keeps serving. Only an uncaught exception, which may have left
 * shared state half-changed, is a process fault that shuts down (close-with-grace).
 */
function logStrayRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection; the process keeps serving');
  });
}

function readConfig(): Readonly<Config> {
  try {
    return loadConfig({ env: process.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** On a fresh database, the admin key that was just created: shown once, after the address. */
async function firstStartBanner(context: AppContext): Promise<string[]> {
  const bootstrap = await context.services.apiKeys.bootstrapAdmin(context.config.auth.adminKey);
  if (!bootstrap.created) return [];
  if (bootstrap.fromConfig) return ['  First start: created the admin API key given in SPS_ADMIN_KEY.'];
  return [
    '  First start: created an admin API key. It is shown only this once; store it now:',
    `    ${bootstrap.key}`,
    '  Create more keys with the API (POST /v1/api-keys) or `npm run keys -- create --name <name>`.',
  ];
}

function printWelcome(
  config: Readonly<Config>,
  logger: Logger,
  version: string,
  address: ReturnType<import('node:net').Server['address']>,
  banner: string[],
): void {
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? 'localhost' : config.server.host;
  const base = config.server.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url: base }, 'listening');
  process.stdout.write(
    [
      '',
      `Structured Prompt Service ${version} is listening on ${base}`,
      `  API docs:  ${base}/docs  (ReDoc: ${base}/redoc, spec: ${base}/openapi.json)`,
      `  Health:    ${base}/v1/health`,
      ...banner,
      '',
    ].join('\n'),
  );
}

await main();
