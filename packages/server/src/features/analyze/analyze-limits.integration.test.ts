import { openAiCompletion } from '@structured-prompt/gateway/testing';
import { describe, expect, it } from 'vitest';
import { appWithFakeOpenAi, validAnswer } from '../../../test/support/fake-openai-app.ts';

describe('tokens per minute', () => {
  it('refuses with 429 once the estimated tokens would pass the key limit, before calling the provider', async () => {
    const { analyze, createKey, calls } = await appWithFakeOpenAi(() => ({
      ...openAiCompletion(validAnswer),
      delayMs: 100,
    }));
    // A request reserves its prompt estimate plus max_tokens (≈ 1,400) until it finishes and the real
    // count replaces the estimate; 3,000 tokens hold two such reservations at the same time.
    const { key } = await createKey({ tokens_per_minute: 3000, rate_limit_per_hour: 1000 });
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, index) =>
        analyze({ prompt: `Distinct question ${index}`, max_tokens: 1000 }, key),
      ),
    );
    const codes = answers.map((answer) => answer.statusCode);
    expect(codes.filter((code) => code === 200)).toHaveLength(2);
    expect(codes.filter((code) => code === 429)).toHaveLength(2);
    const refused = answers.find((answer) => answer.statusCode === 429)!;
    expect(refused.json().detail).toContain('tokens per minute');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(calls()).toBe(codes.filter((code) => code === 200).length);
  });
});

describe('a tokens-per-minute limit smaller than one request', () => {
  it('admits the first request of an unused minute, then says which limit refuses the next and by how much', async () => {
    const { analyze, createKey, calls } = await appWithFakeOpenAi();
    // One request is estimated at its prompt, the instructions and max_tokens (1,024 by default):
    // well over 500 tokens. It really uses 120.
    const { key } = await createKey({ tokens_per_minute: 500, rate_limit_per_hour: 1000 });
    const first = await analyze({ prompt: 'First question of the minute' }, key);
    expect(first.statusCode).toBe(200);
    expect(calls()).toBe(1);

    const second = await analyze({ prompt: 'Second question of the minute' }, key);
    expect(second.statusCode).toBe(429);
    const { detail } = second.json();
    const estimate = Number(/estimated (\d+) tokens/.exec(detail)?.[1]);
    expect(estimate).toBeGreaterThan(500);
    expect(detail).toContain("the key's limit of 500 tokens per minute");
    expect(detail).toContain('120 tokens of this minute are already used');
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(calls()).toBe(1);
  });
});

describe('monthly budget', () => {
  it('writes a warning to the audit log when spend crosses 80% of the budget', async () => {
    // Each call really costs 1,000 × 0.00015/1K + 1,000 × 0.0006/1K = 0.00075 USD: the fourth call
    // takes settled spend from 0.00225 to 0.003, across 80% (0.0024) of the budget.
    const { analyze, createKey, deps } = await appWithFakeOpenAi(() =>
      openAiCompletion(validAnswer, { promptTokens: 1000, completionTokens: 1000 }),
    );
    const { key, id } = await createKey({ monthly_budget_usd: 0.003, rate_limit_per_hour: 1000 });
    const codes = [];
    for (let index = 0; index < 6; index += 1) {
      codes.push((await analyze({ prompt: `Budget probe ${index}`, max_tokens: 200 }, key)).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 402, 402]);
    await deps.services.audit.drain();
    const warnings = await deps.services.audit.list({ eventType: 'budget.warning', actorKeyId: id });
    expect(warnings.items).toHaveLength(1);
    expect(warnings.items[0]!.details).toMatchObject({ budget_usd: 0.003, threshold: 0.8 });
  });

  it('reserves before calling the provider, so concurrent requests cannot overspend by more than one estimate', async () => {
    const { analyze, createKey, calls } = await appWithFakeOpenAi(() => ({
      ...openAiCompletion(validAnswer),
      delayMs: 50,
    }));
    // One call really costs 0.000027 USD; the reservation estimate is larger (it assumes max_tokens of output).
    const budgetUsd = 0.005;
    const { key } = await createKey({ monthly_budget_usd: budgetUsd, rate_limit_per_hour: 100_000 });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        analyze({ prompt: `Distinct prompt number ${index}`, max_tokens: 2000 }, key),
      ),
    );
    const codes = answers.map((answer) => answer.statusCode);
    expect(codes.filter((code) => code === 402).length).toBeGreaterThan(0);
    expect(codes.every((code) => code === 200 || code === 402)).toBe(true);
    const refused = answers.find((answer) => answer.statusCode === 402)!;
    expect(refused.json().code).toBe('budget_exceeded');
    // Refused requests never reached the provider, and what was really spent stays within the budget.
    expect(calls()).toBe(codes.filter((code) => code === 200).length);
    const spent = answers
      .filter((answer) => answer.statusCode === 200)
      .reduce((sum, answer) => sum + answer.json().usage.cost_usd, 0);
    expect(spent).toBeLessThanOrEqual(budgetUsd);
    const me = await analyze({ prompt: 'after' }, key);
    expect([200, 402]).toContain(me.statusCode);
  });

  it('says a request whose estimate does not fit a tiny budget is refused for its reservation', async () => {
    const { analyze, createKey, calls } = await appWithFakeOpenAi();
    const { key } = await createKey({ monthly_budget_usd: 0.0001, rate_limit_per_hour: 1000 });
    const refused = await analyze({ prompt: 'Tiny budget probe' }, key);
    expect(refused.statusCode).toBe(402);
    const { detail } = refused.json();
    expect(detail).toMatch(/reservation of \$0\.000\d*[1-9] \(its estimated cost\)/);
    expect(detail).toContain('monthly budget of $0.0001');
    expect(detail).toContain('$0 spent');
    expect(detail).not.toContain('used up');
    expect(calls()).toBe(0);
  });

  it('gives back the tokens it reserved when the budget refuses the request', async () => {
    const { analyze, createKey } = await appWithFakeOpenAi();
    // Each request reserves about 1,430 tokens before the budget check: two leaked reservations
    // would use up 3,000 tokens, and the third request would be refused for tokens instead.
    const { key } = await createKey({
      monthly_budget_usd: 0.0001,
      tokens_per_minute: 3000,
      rate_limit_per_hour: 1000,
    });
    const codes = [];
    for (let index = 0; index < 3; index += 1) {
      codes.push((await analyze({ prompt: `Refused probe ${index}` }, key)).statusCode);
    }
    expect(codes).toEqual([402, 402, 402]);
  });
});
