import type { Logger } from 'pino';
import type { AppDependencies } from './app-dependencies.ts';
import type { Config } from './config/index.ts';
import { Lifecycle } from './lifecycle.ts';
import { serviceVersion } from './version.ts';

/** The app's dependencies plus how to release them, in reverse order of creation. */
export interface Runtime {
  deps: AppDependencies;
  close(): Promise<void>;
}

/**
 * Composition root: builds every real part from the config, once, at boot. Tests build their own
 * parts instead (test/support/build-app.ts).
 */
export async function createRuntime(config: Readonly<Config>, logger: Logger): Promise<Runtime> {
  const closers: Array<() => Promise<void>> = [];
  const deps: AppDependencies = {
    config,
    logger,
    lifecycle: new Lifecycle(),
    version: serviceVersion,
    healthChecks: [],
  };
  return {
    deps,
    async close() {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          logger.error({ err: error }, 'error while releasing a dependency');
        }
      }
    },
  };
}
