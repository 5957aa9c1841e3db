/**
 * `npm run migrate -- up|down|status`: applies pending migrations, reverts the latest one, or lists
 * them. Uses the same configuration as the server (environment, `.env`, SPS_CONFIG_FILE).
 */
import { ConfigError, loadConfig } from '../../config/index.ts';
import { createDatabase, dialectOf } from './database.ts';
import { DatabaseNewerThanCodeError, migrateDown, migrateToLatest, migrationStatus } from './migrator.ts';

const usage = 'usage: npm run migrate -- <up|down|status>';

async function main(command: string | undefined): Promise<number> {
  if (command !== 'up' && command !== 'down' && command !== 'status') {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const config = loadConfig({ env: process.env });
  const database = createDatabase(config.database, {
    logger: { info: () => {}, warn: (o) => process.stderr.write(`${JSON.stringify(o)}\n`), error: () => {} },
  });
  try {
    const where = database.file ?? `${dialectOf(config.database.url)} database`;
    if (command === 'up') {
      const applied = await migrateToLatest(database);
      process.stdout.write(
        applied.length > 0 ? `applied to ${where}: ${applied.join(', ')}\n` : `${where} is up to date\n`,
      );
    } else if (command === 'down') {
      const reverted = await migrateDown(database);
      process.stdout.write(
        reverted.length > 0 ? `reverted: ${reverted.join(', ')}\n` : 'nothing to revert\n',
      );
    } else {
      for (const state of await migrationStatus(database)) {
        const status = state.unknown ? 'UNKNOWN (newer release)' : state.appliedAt ? 'applied' : 'pending';
        const when = state.appliedAt ? `  ${state.appliedAt.toISOString()}` : '';
        process.stdout.write(`${state.name.padEnd(32)} ${status}${when}\n`);
      }
    }
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DatabaseNewerThanCodeError;
    process.stderr.write(
      `migrate failed: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`,
    );
    process.exitCode = 1;
  },
);
