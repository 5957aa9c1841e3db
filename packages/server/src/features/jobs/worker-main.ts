import { parseArgs } from 'node:util';
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from '../../config/index.ts';
import { createContext } from '../../context.ts';
import { createLogger } from '../../lib/logger.ts';

/**
 * `npm run worker`: a process that only runs job items (no HTTP). Reads the same settings as the
 * server; `--concurrency N` overrides `JOB_WORKER_CONCURRENCY`. On SIGINT/SIGTERM it takes no new
 * item, lets the ones in hand finish within half of `SHUTDOWN_TIMEOUT_MS`, gives back the rest, and
 * exits 0 (without waiting for the provider calls of given-back items).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { concurrency: { type: 'string' } }, strict: true });
  const env = { ...process.env };
  if (values.concurrency !== undefined) env.JOB_WORKER_CONCURRENCY = values.concurrency;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({ env });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(config);
  const context = await createContext(config, logger, { jobWorker: true }).catch((error: unknown) => {
    logger.fatal({ err: error }, 'could not start the worker');
    process.stderr.write(`Could not start: ${(error as Error).message}\n`);
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection; the worker keeps running');
  });
  closeWithGrace(
    { delay: config.server.shutdownTimeoutMs, skip: ['unhandledRejection'] },
    async ({ signal, err }) => {
      if (err) logger.error({ err }, 'fatal error, stopping the worker');
      logger.info({ signal }, 'stopping the worker');
      // Items still running were given back first (released in the database, their late results
      // refused); provider calls still open need not hold the exit past the shutdown budget.
      const budget = new Promise<'late'>((resolve) =>
        setTimeout(() => resolve('late'), config.server.shutdownTimeoutMs * 0.75).unref(),
      );
      if ((await Promise.race([context.close(), budget])) === 'late') {
        logger.warn('provider calls of given-back items were still open; the worker stops without them');
      }
      logger.info('worker stopped');
      logger.flush();
    },
  );
  process.stdout.write(
    `Job worker running: queue ${config.jobs.queue}, ${config.jobs.concurrency} items at a time (pid ${process.pid}).\n`,
  );
}

await main();
