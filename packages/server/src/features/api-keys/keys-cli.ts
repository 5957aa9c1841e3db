import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/index.ts';
import { createLogger } from '../../lib/logger.ts';
import { createLocalInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { createDatabase } from '../../platform/storage/database.ts';
import { migrateToLatest } from '../../platform/storage/migrator.ts';
import { AuditService } from '../audit-logs/audit.service.ts';
import { AuditLogsRepository } from '../audit-logs/audit-logs.repository.ts';
import { ApiKeyUsageRepository } from './api-key-usage.repository.ts';
import { ApiKeysRepository } from './api-keys.repository.ts';
import { type Actor, ApiKeysService } from './api-keys.service.ts';
import { keyStatus } from './key-status.ts';

const usage = `Manage API keys directly in the configured database (DATABASE_URL).

  npm run keys -- create --name <name> [--scopes user|admin|user,admin] [--team <team>]
                         [--rate-limit <per hour>] [--tokens-per-minute <n>] [--budget <usd per month>]
                         [--expires-in-days <n>]
  npm run keys -- list
  npm run keys -- revoke <id>

Running replicas notice a revocation within KEY_CACHE_TTL_MS (at most 5 s).`;

const flags = {
  name: { type: 'string' },
  scopes: { type: 'string', default: 'user' },
  team: { type: 'string' },
  'rate-limit': { type: 'string' },
  'tokens-per-minute': { type: 'string' },
  budget: { type: 'string' },
  'expires-in-days': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseCommandLine>['values'];

const actor: Actor = { keyId: null, ip: 'cli', requestId: null };

function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: flags });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, target] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }

  const config = loadConfig({ env: process.env });
  const logger = createLogger({ ...config, log: { level: 'warn' as const } });
  const database = createDatabase(config.database, { logger });
  try {
    await migrateToLatest(database);
    const audit = new AuditService(new AuditLogsRepository(database), logger);
    const service = new ApiKeysService({
      repository: new ApiKeysRepository(database),
      usage: new ApiKeyUsageRepository(database),
      audit,
      bus: createLocalInvalidationBus(),
      defaultRateLimitPerHour: config.auth.defaultRateLimitPerHour,
    });
    await runCommand(service, command, target, values);
    await audit.drain();
    return 0;
  } finally {
    await database.close();
  }
}

async function runCommand(
  service: ApiKeysService,
  command: string,
  target: string | undefined,
  values: Flags,
): Promise<void> {
  if (command === 'create') await createKey(service, values);
  else if (command === 'list') await listKeys(service);
  else if (command === 'revoke') {
    if (!target) throw new UsageError('revoke needs the key id');
    const record = await service.revoke(target, actor);
    process.stdout.write(`Revoked key ${record.id} (${record.name}).\n`);
  } else throw new UsageError(`unknown command "${command}"`);
}

async function createKey(service: ApiKeysService, values: Flags): Promise<void> {
  if (!values.name) throw new UsageError('create needs --name');
  const scopes = values.scopes.split(',').map((scope) => scope.trim());
  if (scopes.some((scope) => scope !== 'user' && scope !== 'admin'))
    throw new UsageError('--scopes takes user and/or admin');
  const { record, key } = await service.create(
    {
      name: values.name,
      team: values.team,
      scopes: scopes as Array<'user' | 'admin'>,
      rate_limit_per_hour: optionalInteger(values['rate-limit'], '--rate-limit'),
      tokens_per_minute: optionalInteger(values['tokens-per-minute'], '--tokens-per-minute'),
      monthly_budget_usd: values.budget === undefined ? undefined : positiveNumber(values.budget, '--budget'),
      expires_in_days: optionalInteger(values['expires-in-days'], '--expires-in-days'),
    },
    actor,
  );
  process.stdout.write(`Created key ${record.id} (${record.name}, scopes ${record.scopes.join(',')}).\n`);
  process.stdout.write(`Secret, shown only now:\n  ${key}\n`);
}

async function listKeys(service: ApiKeysService): Promise<void> {
  const page = await service.list({ limit: 200 });
  const now = new Date();
  for (const record of page.items) {
    const status = keyStatus(record, now).padEnd(7);
    process.stdout.write(
      `${record.id}  ${record.keyPrefix}…  ${status}  ${record.scopes.join(',').padEnd(10)}  ${record.name}\n`,
    );
  }
  if (page.nextCursor) process.stdout.write('(more keys exist; use GET /v1/api-keys to page through them)\n');
}

class UsageError extends Error {}

function optionalInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new UsageError(`${flag} takes a whole number ≥ 1`);
  return parsed;
}

function positiveNumber(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new UsageError(`${flag} takes a number ≥ 0`);
  return parsed;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n\n${usage}\n`);
  else if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
