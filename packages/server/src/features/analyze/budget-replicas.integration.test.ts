import { FakeVendorServer, openAiCompletion } from '@structured-prompt/gateway/testing';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { validAnswer } from '../../../test/support/fake-openai-app.ts';
import { RedisTestServer } from '../../../test/support/redis.ts';
import { createTestDatabase, describeEachDialect } from '../../../test/support/test-databases.ts';

interface ChatBody {
  max_tokens?: number;
  max_completion_tokens?: number;
  messages: Array<{ role: string; content: string }>;
}

/** An answer as long as the model would like to make it, unless the call caps it (as vendors do). */
const wantedCompletionTokens = 3000;

/**
 * A fake OpenAI whose answers need re-asking: the first two answers to a prompt are not JSON (and
 * differ, so re-asking looks worthwhile), the third is valid. Every answer is long, and usage counts
 * the prompt at four characters a token.
 */
function reaskingVendor() {
  const attemptsByPrompt = new Map<string, number>();
  return FakeVendorServer.start((request) => {
    const body = request.body as ChatBody;
    const prompt = body.messages.find((message) => message.role === 'user')?.content ?? '';
    const attempt = (attemptsByPrompt.get(prompt) ?? 0) + 1;
    attemptsByPrompt.set(prompt, attempt);
    const cap = body.max_tokens ?? body.max_completion_tokens ?? wantedCompletionTokens;
    const completionTokens = Math.min(wantedCompletionTokens, cap);
    const characters = body.messages.reduce((total, message) => total + message.content.length, 0);
    return {
      ...openAiCompletion(attempt >= 3 ? validAnswer : `Let me think about draft ${attempt} first.`, {
        promptTokens: Math.ceil(characters / 4),
        completionTokens,
        finishReason: completionTokens < wantedCompletionTokens ? 'length' : 'stop',
      }),
      delayMs: 20,
    };
  });
}

describeEachDialect('a monthly budget shared by two replicas', (dialect) => {
  const servers: RedisTestServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('holds under 40 concurrent requests with re-asks and long answers: spend stays within one request of the budget', async () => {
    const redis = await RedisTestServer.start();
    servers.push(redis);
    const vendor = await reaskingVendor();
    const shared = await createTestDatabase(dialect);
    afterAll(async () => {
      await vendor.close();
      await shared.destroy();
    });
    // A generous command timeout: on a loaded machine a slow answer would otherwise open the circuit
    // and send the replicas to their own counters, which is the outage behaviour, tested elsewhere.
    const env = {
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: '5000',
      OPENAI_API_KEY: 'sk-test-not-a-real-key',
      OPENAI_BASE_URL: `${vendor.url}/v1`,
    };
    const first = await buildTestApp({ env, infra: { database: shared.database } });
    const second = await buildTestApp({ env, infra: { database: shared.openAnother() } });
    // Room for every request's first attempt (about 0.00085 USD reserved each) and some of the re-asks.
    const budgetUsd = 0.05;
    const { key, id } = await first.createKey({
      monthly_budget_usd: budgetUsd,
      rate_limit_per_hour: 100_000,
    });

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        (index % 2 === 0 ? first : second).app.inject({
          method: 'POST',
          url: '/v1/analyze',
          headers: { 'x-api-key': key },
          payload: {
            prompt: `Distinct question number ${index} about the quarterly plan`,
            provider: 'openai',
            options: { max_repair_attempts: 2, bypass_cache: true },
          },
        }),
      ),
    );
    const codes = answers.map((answer) => answer.statusCode);
    expect(codes.filter((code) => code >= 500)).toEqual([]);
    const bodies = answers.map((answer) => answer.body);
    // The budget did bind: requests were refused, or re-asks were stopped for want of room.
    expect(codes.includes(402) || bodies.some((body) => body.includes('budget has no room'))).toBe(true);
    const attempts = answers.map(
      (answer) => answer.json().validation?.attempts ?? answer.json().attempts ?? 0,
    );
    expect(Math.max(...attempts)).toBeGreaterThan(1);

    expect(await first.deps.services.logWriter.flush()).toBe(true);
    expect(await second.deps.services.logWriter.flush()).toBe(true);
    const recorded = await shared.database.db
      .selectFrom('request_logs')
      .select([
        sql<number>`coalesce(sum(cost_usd), 0)`.as('total'),
        sql<number>`coalesce(max(cost_usd), 0)`.as('largest'),
      ])
      .where('api_key_id', '=', id)
      .executeTakeFirstOrThrow();
    const total = Number(recorded.total);
    const largest = Number(recorded.largest);
    expect(largest).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(budgetUsd + largest);
  });
});
