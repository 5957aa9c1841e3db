import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  AuthenticationError,
  BadRequestError,
  RateLimitedError,
  StructuredPromptClient,
  ValidationFailedError,
} from '../src/index.ts';
import { defaultAnswer, type LiveServer, startLiveServer } from './support/live-server.ts';

const invoice = JSON.stringify({ number: 'INV-7', total: 120.5 });

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(() => live?.stop());

describe('analyze through the SDK against the running service', () => {
  it('sends a TypeBox schema and returns data typed by it', async () => {
    const { client, providerCalls } = live;
    live.answer(invoice);
    const Invoice = Type.Object({ number: Type.String(), total: Type.Number() });
    const answer = await client.analyze({ prompt: 'Invoice INV-7 totals 120.50', schema: Invoice });
    expectTypeOf(answer.data).toEqualTypeOf<{ number: string; total: number }>();
    expect(answer.data).toEqual({ number: 'INV-7', total: 120.5 });
    expect(answer.validation.status).toBe('passed');
    const sent = providerCalls().at(-1)!.body as { response_format?: unknown };
    expect(JSON.stringify(sent.response_format)).toContain('"total"');
  });

  it('converts a Zod schema through Standard JSON Schema and types data by it', async () => {
    const { client } = live;
    live.answer(invoice);
    const Invoice = z.object({ number: z.string(), total: z.number() });
    const answer = await client.analyze({ prompt: 'Invoice INV-7 totals 120.50', schema: Invoice });
    expectTypeOf(answer.data).toEqualTypeOf<{ number: string; total: number }>();
    expect(answer.data.total).toBe(120.5);
  });

  it('throws ValidationFailedError with the errors and the last output when no answer validates', async () => {
    const { client } = live;
    live.answer(JSON.stringify({ total: 7 }));
    const schema = {
      type: 'object',
      required: ['number', 'total'],
      properties: { number: { type: 'string' }, total: { type: 'number' } },
    };
    const error = await client
      .analyze({ prompt: 'Invoice INV-7', schema, options: { validation: 'strict' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationFailedError);
    const failed = error as ValidationFailedError;
    expect(failed.status).toBe(422);
    expect(failed.errors.map((entry) => entry.path)).toContain('/number');
    expect(failed.lastOutput).toBe('{"total":7}');
    expect(failed.requestId).toMatch(/\S/);
  });

  it('throws typed errors carrying the problem document', async () => {
    const { baseUrl, client } = live;
    const anonymous = new StructuredPromptClient({ baseUrl, apiKey: 'sp_not_a_key' });
    const unauthorized = await anonymous.analyze({ prompt: 'hi' }).catch((caught: unknown) => caught);
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect((unauthorized as AuthenticationError).problem).toMatchObject({
      status: 401,
      code: 'unauthorized',
    });

    const invalid = await client.analyze({ prompt: '' }).catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect((invalid as BadRequestError).errors.length).toBeGreaterThan(0);
  });

  it('gives up on a 429 whose Retry-After is longer than it waits, with retryAfter set', async () => {
    const { baseUrl, adminClient, providerCalls } = live;
    live.answer(defaultAnswer);
    const { key } = await adminClient.apiKeys.create({
      name: 'one an hour',
      scopes: ['user'],
      rate_limit_per_hour: 1,
    });
    const client = new StructuredPromptClient({ baseUrl, apiKey: key, retry: { maxDelayMs: 1000 } });
    const before = providerCalls().length;
    await client.analyze({ prompt: 'Translate Hello World to French' });
    const error = await client.analyze({ prompt: 'Translate Good night' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfter).toBeGreaterThan(1);
    expect(providerCalls().length).toBe(before + 1);
  });

  it('answers a batch', async () => {
    const { client } = live;
    live.answer(defaultAnswer);
    const batch = await client.batch({
      items: [{ prompt: 'Translate Hello to German' }, { prompt: 'Translate Bye to German' }],
    });
    expect(batch.results).toHaveLength(2);
  });
});
