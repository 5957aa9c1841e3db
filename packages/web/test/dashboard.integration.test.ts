import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../../server/test/support/spawn-server.ts';
import {
  buildDashboard,
  launchChromium,
  screenshots,
  seriousViolations,
  viewports,
} from './support/browser.ts';

const adminKey = `sp_${'d1'.repeat(32)}`;

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let userKey = '';
const policyViolations: string[] = [];

beforeAll(async () => {
  await buildDashboard();
  server = await spawnServer({ SPS_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn' }, { startTimeoutMs: 60_000 });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: viewports.desktop, baseURL: server.baseUrl });
  page = await context.newPage();
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) policyViolations.push(message.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.child.kill('SIGTERM');
  await server?.exited;
});

/** Signs in on the sign-in page with the given key. */
async function signIn(target: Page, apiKey: string): Promise<void> {
  await target.goto('/dashboard/');
  await target.getByLabel('API key').fill(apiKey);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

describe('dashboard in Chromium', () => {
  it('refuses a wrong key with a clear message, and signs in with a valid one', async () => {
    await signIn(page, `sp_${'0'.repeat(64)}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not accepted');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sign-in');

    await signIn(page, adminKey);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(1);
    // The key stays in this tab only unless "remember me" was ticked.
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.getItem('sps.apiKey')])).toEqual([
      1,
      null,
    ]);
  });

  it('runs a prompt against a library schema and shows the validated answer', async () => {
    await page
      .getByLabel('Prompt', { exact: true })
      .fill('Contact Jane Doe at jane@example.com or +1 555 123 4567');
    await page.getByLabel('From the registry').check();
    await page.getByLabel('Schema', { exact: true }).selectOption('contact-extraction');
    await page.getByRole('button', { name: 'Run' }).click();
    const answer = page.getByRole('region', { name: /^Answer (passed|failed|skipped)/ });
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.getByText('passed').count()).toBeGreaterThan(0);
    const data = JSON.parse((await page.getByLabel('Answer JSON').textContent()) ?? '{}');
    expect(data.email).toBe('jane@example.com');
    expect(await answer.getByText('heuristic / heuristic-v1').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'prompt-tester');
  });

  it('lists the request in history, opens it and replays it', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    const row = page.getByRole('row', { name: /Contact Jane Doe/ });
    // The request log is written in batches, shortly after the answer: refresh until it is there.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return row.count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'history');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: /Request/ }).waitFor();
    expect(await page.getByLabel('Prompt', { exact: true }).textContent()).toContain('jane@example.com');
    await page.getByLabel('Provider').selectOption('heuristic');
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByRole('status').filter({ hasText: 'New request' }).waitFor({ timeout: 30_000 });
    const compared = page.getByRole('table', { name: 'Original and replay compared' });
    expect(await compared.getByRole('row', { name: /Provider heuristic heuristic/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'request-replay');
  });

  it('counts the requests in analytics', async () => {
    await page.getByRole('link', { name: 'Analytics' }).click();
    const totals = page.getByRole('list', { name: 'Totals' }).or(page.getByLabel('Totals'));
    await totals.waitFor();
    // The prompt and its replay: two requests, both answered by the heuristic provider.
    await expect
      .poll(async () => totals.getByText('Requests').locator('xpath=..').textContent())
      .toContain('2');
    await page.getByRole('row', { name: /heuristic \/ heuristic-v1 2/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'analytics');
  });

  it('builds a schema in the form and as JSON, saves it and a second version, and compares them', async () => {
    await page.getByRole('link', { name: 'Schema builder' }).click();
    await page.getByLabel('Schema name').fill('support-ticket');
    await page.getByLabel('Field name').fill('subject');
    await page.getByLabel('Required').check();
    await page.getByRole('button', { name: 'Add field', exact: true }).click();
    await page.getByLabel('Field name').nth(1).fill('priority');
    await page.getByLabel('Type').nth(1).selectOption('enum');
    await page.getByLabel('Values (comma-separated)').fill('low, high');
    const preview = page.getByRole('textbox', { name: 'JSON Schema preview' });
    await expect.poll(() => preview.textContent()).toContain('"enum": [        "low",        "high"      ]');

    // Edited as JSON, the form follows.
    const edited = {
      type: 'object',
      properties: {
        subject: { type: 'string', minLength: 3 },
        customer: { type: 'string', format: 'email' },
      },
      required: ['subject'],
    };
    await preview.fill(JSON.stringify(edited, null, 2));
    await expect.poll(() => page.getByLabel('Field name').nth(1).inputValue()).toBe('customer');
    expect(await page.getByLabel('Format').nth(1).inputValue()).toBe('email');
    expect(await page.getByLabel('Min length').first().inputValue()).toBe('3');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved support-ticket@1.0.0' }).waitFor();
    await page.getByRole('button', { name: 'Remove customer' }).click();
    await page.getByRole('button', { name: 'Check against the registry' }).click();
    await page.getByText('Proposed version').waitFor();
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Saved support-ticket@2\.0\.0/ })
      .waitFor();
    const differences = page.getByRole('list', { name: 'Differences' });
    await differences.waitFor();
    expect(await differences.textContent()).toContain('/properties/customer');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'schema-builder');
  });

  it('submits a batch job, follows its progress and reads its results', async () => {
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByText('No dead letters').waitFor();
    await page
      .getByLabel('Prompts, one per line')
      .fill('Meet Ada on 2026-12-24 in Paris\nRefund order 4411 for 20 EUR');
    await page.getByRole('button', { name: 'Submit job' }).click();
    const row = page.getByRole('row', { name: /completed/ });
    await row.waitFor({ timeout: 40_000 });
    expect(await row.getByText('2/2').count()).toBe(1);
    await row.getByRole('button', { name: /Results of job/ }).click();
    await page.getByRole('heading', { name: /Item 2: succeeded/ }).waitFor();
    expect(await page.getByLabel('Result of item 2').textContent()).toContain('4411');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'jobs');
  });

  /** Creates a key on the API keys page and returns the secret shown once. */
  async function createKey(name: string): Promise<string> {
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Requests per hour').fill('120');
    await page.getByLabel('Monthly budget (USD)').fill('5');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByLabel(`Secret of ${name}`);
    await secret.waitFor();
    const text = await secret.inputValue();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    return text;
  }

  it('creates and revokes keys as an admin; a revoked key cannot sign in', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    const revoked = await createKey('contractor');
    expect(revoked).toMatch(/^sp_[0-9a-f]{64}$/);
    userKey = await createKey('support-lead');
    const row = page.getByRole('row', { name: /contractor/ });
    expect(await row.getByText('120/h, $5.0000/month').count()).toBe(1);
    // Usage per key: the admin key ran the prompt, its replay and the batch.
    await page
      .getByRole('row', { name: /bootstrap-admin/ })
      .getByText(/^[1-9]\d* requests/)
      .waitFor();
    await page.getByRole('button', { name: 'Revoke contractor' }).click();
    await row.getByText('revoked').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'api-keys');

    const other = await context.browser()!.newPage({ baseURL: server.baseUrl });
    await signIn(other, revoked);
    await expect.poll(() => other.getByRole('alert').textContent()).toContain('revoked');
    await other.close();
  });

  it('hides the admin pages from a user key, and refuses them when opened directly', async () => {
    const userContext = await browser.newContext({ viewport: viewports.desktop, baseURL: server.baseUrl });
    const userPage = await userContext.newPage();
    await signIn(userPage, userKey);
    await userPage.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await userPage.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await userPage.goto('/dashboard/keys');
    await userPage.getByRole('heading', { name: 'Admins only' }).waitFor();
    expect(await userPage.getByRole('table').count()).toBe(0);

    // Revoked while signed in: the next call answered 401 returns to the sign-in page and says why.
    const asUser = { headers: { 'x-api-key': userKey } };
    const { id } = (await (await fetch(`${server.baseUrl}/v1/api-keys/me`, asUser)).json()) as { id: string };
    const revoke = await fetch(`${server.baseUrl}/v1/api-keys/${id}`, {
      method: 'DELETE',
      headers: { 'x-api-key': adminKey },
    });
    expect(revoke.ok).toBe(true);
    await userPage.getByRole('link', { name: 'History' }).click();
    await expect
      .poll(
        async () => {
          const refresh = userPage.getByRole('button', { name: 'Refresh' });
          if (await refresh.isVisible()) await refresh.click();
          return userPage.getByLabel('API key').count();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);
    expect(await userPage.getByText(/revoked/).count()).toBe(1);
    await userContext.close();
  });

  it('switches to the dark theme, remembers it, and stays accessible there and at tablet width', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.setViewportSize(viewports.tablet);
    for (const name of ['Prompt tester', 'History', 'Analytics', 'Jobs', 'API keys']) {
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      expect(await seriousViolations(page), name).toEqual([]);
    }
    await screenshots(page, 'api-keys-dark');
    // Keyboard users reach the skip link first.
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.setViewportSize(viewports.desktop);
  });

  it('serves every page under a CSP that nothing on them violated', () => {
    expect(policyViolations).toEqual([]);
  });
});
