import { openAiCompletion, type ReplyFactory } from '@structured-prompt/gateway/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';
import { eventually, RedisTestServer } from '../../../test/support/redis.ts';

/**
 * Limits, budgets and key revocation on a Redis of this test's own (loopback, no persistence), which
 * is stopped, or frozen with SIGSTOP, while the app keeps serving keys that have a budget.
 */
describe('Redis outage under limits and budgets', () => {
  const servers: RedisTestServer[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.thaw();
      await server.stop();
    }
  });

  async function appOnOwnRedis(reply?: ReplyFactory) {
    const redis = await RedisTestServer.start();
    servers.push(redis);
    const testApp = await appWithFakeOpenAi(reply, {
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '200',
    });
    const { key } = await testApp.createKey({ rate_limit_per_hour: 10_000, monthly_budget_usd: 5 });
    const health = async () => (await testApp.app.inject({ method: 'GET', url: '/v1/health' })).json();
    let sequence = 0;
    /** Distinct prompts, so every request misses the cache and reserves budget. */
    const analyzeMany = async (count: number) => {
      const answers = [];
      for (let index = 0; index < count; index += 1) {
        sequence += 1;
        answers.push(await testApp.analyze({ prompt: `Outage question number ${sequence}` }, key));
      }
      return answers.map((answer) => answer.statusCode);
    };
    await eventually(async () => (await health()).status === 'healthy', 'health is healthy at start');
    return { ...testApp, redis, health, analyzeMany };
  }

  it('keeps answering keys with a budget while Redis is stopped, says degraded, and recovers', async () => {
    const { redis, health, analyzeMany, calls } = await appOnOwnRedis();
    expect(await analyzeMany(2)).toEqual([200, 200]);

    await redis.stop();
    expect(await analyzeMany(6)).toEqual([200, 200, 200, 200, 200, 200]);
    const report = await health();
    expect(report.status).toBe('degraded');
    expect(report.checks.redis.status).toBe('down');
    expect(calls()).toBe(8);

    await redis.start();
    await eventually(async () => (await health()).status === 'healthy', 'health recovers with Redis');
    expect(await analyzeMany(2)).toEqual([200, 200]);
  });

  it('keeps answering while Redis is frozen (SIGSTOP), says degraded, and recovers when it thaws', async () => {
    const { redis, health, analyzeMany } = await appOnOwnRedis();
    expect(await analyzeMany(2)).toEqual([200, 200]);
    const observer = new Redis(redis.url);
    onTestFinished(() => observer.disconnect());
    await observer.config('RESETSTAT');

    redis.freeze();
    const during = 10;
    expect(await analyzeMany(during)).toEqual(Array.from({ length: during }, () => 200));
    const report = await health();
    expect(report.status).toBe('degraded');
    expect(report.checks.redis.status).toBe('down');

    redis.thaw();
    await eventually(async () => (await health()).status === 'healthy', 'health recovers after thawing');
    // Commands sent while frozen were held by the server and run once it thawed, so they are counted
    // now. Each request makes several limit and budget calls; the circuit let only a few through.
    const scripts = countScriptCalls(await observer.info('commandstats'));
    expect(scripts).toBeLessThan(during);
    expect(await analyzeMany(2)).toEqual([200, 200]);
  });

  it('holds the budget while Redis is down, counting against the spend the database recorded', async () => {
    // Each answer really costs 1,000 × 0.00015/1K + 1,000 × 0.0006/1K = 0.00075 USD; with max_tokens
    // 200 a reservation fits while less than about 0.0025 of the 0.003 budget is spent: four answers.
    const { redis, createKey, analyze, deps } = await appOnOwnRedis(() =>
      openAiCompletion(validAnswer, { promptTokens: 1000, completionTokens: 1000 }),
    );
    const { key } = await createKey({ rate_limit_per_hour: 10_000, monthly_budget_usd: 0.003 });
    const ask = async (index: number) =>
      (await analyze({ prompt: `Budget probe ${index}`, max_tokens: 200 }, key)).statusCode;
    expect([await ask(1), await ask(2)]).toEqual([200, 200]);
    expect(await deps.services.logWriter.flush()).toBe(true);

    await redis.stop();
    const codes = [];
    for (let index = 3; index <= 6; index += 1) codes.push(await ask(index));
    expect(codes).toEqual([200, 200, 402, 402]);
  });
});

/** Calls of Lua scripts (the limit and budget counters) in an `INFO commandstats` answer. */
function countScriptCalls(info: string): number {
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)) calls += Number(match[1]);
  return calls;
}
