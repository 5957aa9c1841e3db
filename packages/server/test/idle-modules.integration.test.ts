import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from './support/spawn-server.ts';

// Packages an idle embedded server must not load (ADR 0010): they cost memory for code that only
// runs once a provider is called, tracing is on, Redis is configured, or a template is written or used.
const lazyPackages =
  /\/node_modules\/(@ai-sdk\/(openai|anthropic|google|openai-compatible)|zod|@opentelemetry\/(sdk-trace|exporter-trace-otlp-http|resources)|ioredis|liquidjs)\//;

const answer = JSON.stringify({
  intent: 'translate',
  subject: 'a greeting',
  entities: [],
  output_format: 'text',
  original_language: 'en',
});

describe('start-up cost', () => {
  const directory = mkdtempSync(join(tmpdir(), 'sps-modules-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function modulesOf(options: { callProvider: boolean }): Promise<string[]> {
    const fake = await FakeVendorServer.start(() => openAiCompletion(answer));
    const file = join(directory, `modules-${options.callProvider}.txt`);
    const adminKey = `sp_${'c'.repeat(64)}`;
    const server = await spawnServer({
      NODE_OPTIONS: `--import=${join(import.meta.dirname, 'support', 'record-modules.ts')}`,
      RECORD_MODULES_FILE: file,
      SPS_ADMIN_KEY: adminKey,
      OPENAI_COMPATIBLE_BASE_URL: `${fake.url}/v1`,
      OPENAI_COMPATIBLE_MODEL: 'fake-model',
    });
    try {
      expect((await fetch(`${server.baseUrl}/v1/health`)).status).toBe(200);
      if (options.callProvider) {
        const response = await fetch(`${server.baseUrl}/v1/analyze`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': adminKey },
          body: JSON.stringify({ prompt: 'Say hello in French', provider: 'openai-compatible' }),
        });
        expect(response.status).toBe(200);
        expect((await response.json()).provider).toBe('openai-compatible');
      }
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await fake.close();
    }
    return readFileSync(file, 'utf8').split('\n');
  }

  it('loads no vendor SDK, OpenTelemetry SDK or ioredis until they are needed', async () => {
    const idle = await modulesOf({ callProvider: false });
    expect(idle.length).toBeGreaterThan(100); // the recorder really saw the server's modules
    expect(idle.filter((url) => lazyPackages.test(url))).toEqual([]);
    // date-fns through its CommonJS files only: its ES module graph holds ~90 MB of heap (ADR 0046).
    const dateFns = idle.filter((url) => url.includes('/node_modules/date-fns/'));
    expect(dateFns.some((url) => url.endsWith('/parse.cjs'))).toBe(true);
    expect(dateFns.filter((url) => url.endsWith('.js'))).toEqual([]);

    // A call to an OpenAI-compatible server loads its SDK package (ADR 0028), and still none of
    // the other vendors' packages, OpenTelemetry or ioredis.
    const afterCall = await modulesOf({ callProvider: true });
    const loaded = afterCall.filter((url) => lazyPackages.test(url));
    expect(loaded.some((url) => url.includes('/node_modules/@ai-sdk/openai-compatible/'))).toBe(true);
    const unrelated = /\/node_modules\/(@ai-sdk\/(openai|anthropic|google)\/|@opentelemetry|ioredis)/;
    expect(loaded.filter((url) => unrelated.test(url))).toEqual([]);
  });
});
