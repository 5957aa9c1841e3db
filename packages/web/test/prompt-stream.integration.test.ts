import { openAiStream } from '@structured-prompt/gateway/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveServer, startLiveServer } from '../../sdk/test/support/live-server.ts';
import { buildDashboard, launchChromium, seriousViolations, viewports } from './support/browser.ts';

// The service runs with OpenAI pointed at a fake that streams paced chunks, so partials are visible.
let live: LiveServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await buildDashboard();
  live = await startLiveServer();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: viewports.desktop, baseURL: live.baseUrl });
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await live?.stop();
});

const schema = {
  type: 'object',
  required: ['number', 'total'],
  properties: { number: { type: 'string' }, total: { type: 'number' } },
};

describe('prompt tester streaming in Chromium', () => {
  it('shows the partial answer while it is written, the re-ask, then the validated answer', async () => {
    await page.goto('/dashboard/');
    await page.getByLabel('API key').fill(live.userKey.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Prompt', { exact: true }).fill('Invoice INV-7 over 120.50 EUR');
    await page.getByLabel('Write one').check();
    await page.getByLabel('JSON Schema', { exact: true }).fill(JSON.stringify(schema));
    await page.getByLabel('Stream: show the answer while it is written').check();
    // First answer lacks the total (a re-ask follows); the second arrives slowly, in pieces.
    live.fake.script(
      openAiStream('{"number": "INV-7"}', { pieces: 2 }),
      openAiStream('{"number": "INV-7", "total": 120.5}', { pieces: 12, intervalMs: 400 }),
    );
    await page.getByRole('button', { name: 'Run' }).click();

    const partial = page.getByRole('region', { name: /^Partial answer attempt/ });
    await partial.waitFor({ timeout: 30_000 });
    await expect.poll(() => partial.textContent(), { timeout: 30_000 }).toContain('attempt 2');
    const shown = JSON.parse((await page.getByLabel('Partial answer JSON').textContent()) ?? '{}');
    expect(shown.total).toBeUndefined();
    expect(await page.getByRole('list', { name: 'Re-asks' }).textContent()).toContain('/total');
    expect(await seriousViolations(page)).toEqual([]);

    const answer = page.getByRole('region', { name: /^Answer (passed|failed|skipped)/ });
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.getByText('passed').count()).toBeGreaterThan(0);
    const data = JSON.parse((await page.getByLabel('Answer JSON').textContent()) ?? '{}');
    expect(data).toEqual({ number: 'INV-7', total: 120.5 });
    expect(await partial.count()).toBe(0);
  });
});
