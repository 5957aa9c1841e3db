import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './support/spawn-server.ts';

const adminKey = `sp_${'e'.repeat(64)}`;
const answer = JSON.stringify({
  intent: 'question',
  subject: 'durability',
  entities: [],
  output_format: 'text',
  original_language: 'en',
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(env: Record<string, string>, dataDir: string): Promise<ServerProcess> {
  // A start can take long on a busy machine; the test is about what survives, not how fast.
  const server = await spawnServer(env, { dataDir, startTimeoutMs: 60_000 });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
  return server;
}

function post(server: ServerProcess, path: string, key: string, body: object): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(body),
  });
}

function loggedRows(dataDir: string, keyId: string): { rows: number; cost: number } {
  const db = new DatabaseSync(join(dataDir, 'sps.db'), { readOnly: true });
  try {
    const row = db
      .prepare(
        'select count(*) as rows, coalesce(sum(cost_usd), 0) as cost from request_logs where api_key_id = ?',
      )
      .get(keyId) as { rows: number; cost: number };
    return { rows: Number(row.rows), cost: Number(row.cost) };
  } finally {
    db.close();
  }
}

describe('kill -9', () => {
  it('loses no answered request: after a restart, request-log rows and spend equal what was answered', async () => {
    const fake = await FakeVendorServer.start(() => openAiCompletion(answer));
    cleanups.push(() => fake.close());
    const dataDir = mkdtempSync(join(tmpdir(), 'sps-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = {
      SPS_ADMIN_KEY: adminKey,
      OPENAI_API_KEY: 'sk-fake-for-crash-test',
      OPENAI_BASE_URL: `${fake.url}/v1`,
      // Nothing reaches the database by batch or timer before the kill: every row must come from the journal.
      LOG_BATCH_SIZE: '100000',
      LOG_FLUSH_INTERVAL_MS: '3600000',
    };
    const first = await start(env, dataDir);
    const created = await post(first, '/v1/api-keys', adminKey, { name: 'crash', monthly_budget_usd: 100 });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };

    let answered = 0;
    let spent = 0;
    for (let wave = 0; wave < 3; wave += 1) {
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          post(first, '/v1/analyze', key, {
            prompt: `Question ${wave}-${index} about durability`,
            provider: 'openai',
          }),
        ),
      );
      for (const response of answers) {
        expect(response.status).toBe(200);
        const body = (await response.json()) as { usage: { cost_usd: number } };
        answered += 1;
        spent += body.usage.cost_usd;
      }
    }
    expect(spent).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(env, dataDir);
    expect(loggedRows(dataDir, id).rows).toBe(answered);
    expect(loggedRows(dataDir, id).cost).toBeCloseTo(spent, 6);
    // The service reads the spend back (the budget ledger is seeded from the same sum).
    const me = await fetch(`${second.baseUrl}/v1/api-keys/me`, { headers: { 'x-api-key': key } });
    const usage = (
      (await me.json()) as { usage: { requests_this_month: number; cost_this_month_usd: number } }
    ).usage;
    expect(usage.requests_this_month).toBe(answered);
    expect(usage.cost_this_month_usd).toBeCloseTo(spent, 6);
  }, 180_000); // two process starts, which take long on a busy machine
});
