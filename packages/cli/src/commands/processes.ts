import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

// The server package's sources: its app module sits at src/app.ts.
const serverSource = dirname(fileURLToPath(import.meta.resolve('@structured-prompt/server')));

/**
 * Runs one of the server's process entries in a child process with this process's environment and
 * terminal, passes SIGINT/SIGTERM on, and exits with its code, so `sps serve` behaves as `npm start`.
 */
function runEntry(entry: string, args: string[] = []): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(serverSource, entry), ...args], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      process.exitCode = code ?? (signal ? 1 : 0);
      resolve();
    });
  });
}

export function registerProcesses(program: Command): void {
  program
    .command('serve')
    .description('Start the service (configured by environment, .env and SPS_CONFIG_FILE, as `npm start`)')
    .action(() => runEntry('main.ts'));
  program
    .command('worker')
    .description('Start a job worker process (for the BullMQ or RabbitMQ queues)')
    .action(() => runEntry('features/jobs/worker-main.ts'));
  const migrate = program
    .command('migrate')
    .description('Database migrations of the configured DATABASE_URL');
  for (const [name, description] of [
    ['up', 'Apply every pending migration'],
    ['down', 'Revert the latest migration'],
    ['status', 'List migrations and whether each is applied'],
  ] as const) {
    migrate
      .command(name)
      .description(description)
      .action(() => runEntry('platform/storage/migrate-cli.ts', [name]));
  }
}
