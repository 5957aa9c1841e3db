import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

const packageDir = resolve(import.meta.dirname, '..');
const dist = join(packageDir, 'dist');

let live: LiveServer;
let pages: Server;
let pageOrigin: string;
let browser: Browser;

/** Serves the built SDK and an empty page from another origin than the service's, so CORS applies. */
function startPageServer(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sdk</title>');
      return;
    }
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist)) return void response.writeHead(403).end();
    const body = await readFile(file).catch(() => undefined);
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(packageDir, 'scripts/build.ts')], { stdio: 'ignore' });
  pages = await startPageServer();
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  live = await startLiveServer({ CORS_ORIGINS: pageOrigin });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await live?.stop();
  pages?.close();
});

describe('the SDK in a browser (Debian chromium)', () => {
  it('analyzes, pages, raises typed errors and verifies a webhook signature with Web Crypto', async () => {
    const page = await browser.newPage();
    await page.goto(`${pageOrigin}/`);
    // Loaded by the page itself as an ES module, as an application would.
    await page.addScriptTag({
      type: 'module',
      content: "import * as sdk from '/index.js'; window.sdk = sdk;",
    });
    await page.waitForFunction(() => 'sdk' in window);
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = JSON.stringify({ type: 'job.completed', data: { id: 'j1' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', Buffer.alloc(32, 7))
      .update(`m1.${timestamp}.${body}`)
      .digest('base64');
    const headers = {
      'webhook-id': 'm1',
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${signature}`,
    };

    const outcome = await page.evaluate(
      async ({ baseUrl, apiKey, secret, body, headers }) => {
        const sdk = (window as unknown as { sdk: typeof import('../src/index.ts') }).sdk;
        const client = new sdk.StructuredPromptClient({ baseUrl, apiKey });
        const answer = await client.analyze({ prompt: 'Translate Hello World to French in the browser' });
        const job = await client.jobs.submit({ request: { prompt: 'Translate a browser job' } });
        const jobs = await client.jobs.list({ limit: 1 }).toArray();
        const anonymous = new sdk.StructuredPromptClient({ baseUrl, apiKey: 'sp_wrong' });
        const error = await anonymous.analyze({ prompt: 'hi' }).catch((caught: unknown) => caught);
        const verified = await sdk.verifyWebhook(body, headers, secret);
        const forged = await sdk
          .verifyWebhook(body.replace('j1', 'j2'), headers, secret)
          .catch((e: Error) => e.name);
        return {
          intent: answer.data.intent,
          jobListed: jobs.some((entry: { id: string }) => entry.id === job.id),
          errorName: (error as Error).name,
          isAuthError: error instanceof sdk.AuthenticationError,
          requestId: (error as { requestId?: string }).requestId,
          verified,
          forged,
        };
      },
      { baseUrl: live.baseUrl, apiKey: live.userKey.key, secret, body, headers },
    );
    expect(outcome).toMatchObject({
      intent: 'translate',
      jobListed: true,
      errorName: 'AuthenticationError',
      isAuthError: true,
      verified: { type: 'job.completed', data: { id: 'j1' } },
      forged: 'WebhookVerificationError',
    });
    expect(outcome.requestId).toMatch(/\S/);
  });
});
