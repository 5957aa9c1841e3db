import type { Command } from 'commander';
import { collect, contextOf } from '../context.ts';

const keyColumns = ['id', 'name', 'status', 'scopes', 'rate_limit_per_hour', 'created_at'];
const requestColumns = ['request_id', 'created_at', 'status', 'provider', 'model', 'latency_ms'];

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys (admin key needed, except `me`)');
  keys
    .command('list')
    .description('Every key')
    .action(async (_options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.apiKeys.list().toArray(), keyColumns);
    });
  keys
    .command('me')
    .description('The key in use')
    .action(async (_options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.apiKeys.me());
    });
  keys
    .command('create')
    .description('Issue a key; its secret is shown this once')
    .requiredOption('--name <name>')
    .option('--scope <scope>', 'user or admin (repeatable; default user)', collect)
    .option('--rate-limit <n>', 'requests per hour')
    .option('--expires-in-days <n>')
    .action(
      async (
        options: { name: string; scope?: string[]; rateLimit?: string; expiresInDays?: string },
        command,
      ) => {
        const { client, printer } = contextOf(command);
        const created = await client.apiKeys.create({
          name: options.name,
          scopes: (options.scope ?? ['user']) as ('user' | 'admin')[],
          rate_limit_per_hour: options.rateLimit ? Number(options.rateLimit) : undefined,
          expires_in_days: options.expiresInDays ? Number(options.expiresInDays) : undefined,
        });
        printer.result(created);
      },
    );
  keys
    .command('revoke')
    .description('Revoke a key at once')
    .argument('<id>')
    .action(async (id: string, _options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.apiKeys.revoke(id));
    });
  keys
    .command('rotate')
    .description('A new secret; the old one works for the grace period')
    .argument('<id>')
    .option('--grace <seconds>', 'how long the old secret keeps working', '0')
    .action(async (id: string, options: { grace: string }, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.apiKeys.rotate(id, { grace_period_seconds: Number(options.grace) }));
    });
}

export function registerRequests(program: Command): void {
  const requests = program.command('requests').description('Stored requests: list, show, replay');
  requests
    .command('list')
    .description('Stored requests, newest first')
    .option('-n, --limit <n>', 'at most this many', '20')
    .option('-q, --query <text>', 'full-text search in prompts')
    .option('--status <status>', 'success, validation_failed, error, …')
    .action(async (options: { limit: string; query?: string; status?: string }, command) => {
      const { client, printer } = contextOf(command);
      const limit = Number(options.limit);
      const filters = { q: options.query, status: options.status } as Parameters<
        typeof client.requests.list
      >[0];
      printer.result(
        await client.requests.list(filters, { limit: Math.min(limit, 200) }).toArray(limit),
        requestColumns,
      );
    });
  requests
    .command('show')
    .description('One stored request with its prompt and answer')
    .argument('<request-id>')
    .action(async (id: string, _options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.requests.get(id));
    });
  requests
    .command('replay')
    .description('Send a stored prompt again and compare the answers')
    .argument('<request-id>')
    .option('--provider <name>')
    .option('--model <name>')
    .option('--schema-id <ref>', 'replay against a registered schema version')
    .action(
      async (id: string, options: { provider?: string; model?: string; schemaId?: string }, command) => {
        const { client, printer } = contextOf(command);
        printer.result(
          await client.requests.replay(id, {
            provider: options.provider,
            model: options.model,
            schema_id: options.schemaId,
          }),
        );
      },
    );
}

export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description('Requests, tokens and cost over a period')
    .option('--from <date>', 'start (ISO date or time)')
    .option('--to <date>', 'end (ISO date or time)')
    .option('--bucket <size>', 'hour, day or month')
    .option('--group-by <field>', 'key, provider, model, …')
    .option('--providers', 'per provider and model instead')
    .action(
      async (
        options: { from?: string; to?: string; bucket?: string; groupBy?: string; providers?: boolean },
        command,
      ) => {
        const { client, printer } = contextOf(command);
        const period = { from: options.from, to: options.to };
        if (options.providers) return printer.result(await client.usage.providers(period));
        const query = { ...period, bucket: options.bucket, group_by: options.groupBy } as Parameters<
          typeof client.usage.get
        >[0];
        const report = await client.usage.get(query);
        printer.result(printer.format === 'table' ? report.totals : report);
      },
    );
}
