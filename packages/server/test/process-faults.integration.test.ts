import { join } from 'node:path';
import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './support/spawn-server.ts';

const adminKey = `sp_${'d'.repeat(64)}`;
const faultPreload = `--import=${join(import.meta.dirname, 'support', 'fault-on-signal.ts')}`;
const asyncSchema = {
  $async: true,
  type: 'object',
  properties: { a: { type: 'integer' } },
  required: ['a'],
};

const started: ServerProcess[] = [];
const fakes: FakeVendorServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  for (const fake of fakes.splice(0)) await fake.close();
});

async function start(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer({ SPS_ADMIN_KEY: adminKey, ...env });
  started.push(server);
  return server;
}

function analyze(server: ServerProcess, body: object): Promise<Response> {
  return fetch(`${server.baseUrl}/v1/analyze`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
    body: JSON.stringify(body),
  });
}

/** The process still answers: health, and a default-schema request through the offline analyzer. */
async function expectServing(server: ServerProcess): Promise<void> {
  expect(server.child.exitCode).toBeNull();
  expect((await fetch(`${server.baseUrl}/v1/health`)).status).toBe(200);
  const answer = await analyze(server, { prompt: 'Translate Hello World to French', provider: 'heuristic' });
  expect(answer.status).toBe(200);
}

describe('one request cannot stop the process', () => {
  it('an $async schema with an invalid model answer gets a 422, and the process keeps serving', async () => {
    const fake = await FakeVendorServer.start(() => openAiCompletion('{"a":"not an integer"}'));
    fakes.push(fake);
    const server = await start({
      OPENAI_COMPATIBLE_BASE_URL: `${fake.url}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'fake-model',
    });
    const response = await analyze(server, {
      prompt: 'Give me a',
      provider: 'openai-compatible',
      schema: asyncSchema,
      options: { max_repair_attempts: 0 },
    });
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual([
      { path: '/a', keyword: 'type', message: 'must be integer' },
    ]);
    await expectServing(server);
  });

  it('logs a promise rejection nobody handled and keeps serving', async () => {
    const server = await start({ NODE_OPTIONS: faultPreload, RAISE_ON_SIGNAL: 'rejection' });
    server.child.kill('SIGWINCH');
    const line = await server.waitForOutput(/\{[^\n]*unhandled promise rejection[^\n]*\}/);
    const record = JSON.parse(line) as { level: string; err?: { message?: string } };
    expect(record.level).toBe('error');
    expect(record.err?.message).toBe('test fault: unhandled rejection');
    await expectServing(server);
  });

  it('shuts down gracefully on an uncaught exception, a fault of the whole process', async () => {
    const server = await start({ NODE_OPTIONS: faultPreload, RAISE_ON_SIGNAL: 'exception' });
    server.child.kill('SIGWINCH');
    expect(await server.exited).toBe(1);
    expect(server.stdout()).toContain('fatal error, shutting down');
    expect(server.stdout()).toContain('shutdown complete');
  });
});
