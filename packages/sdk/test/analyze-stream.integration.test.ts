import { openAiStream } from '@structured-prompt/gateway/testing';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  AbortedError,
  type AnalyzeStreamEvent,
  BadRequestError,
  StructuredPromptClient,
  ValidationFailedError,
} from '../src/index.ts';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

const Invoice = Type.Object({ number: Type.String(), total: Type.Number() });
const invoice = JSON.stringify({ number: 'INV-7', total: 120.5 });
/** Each test needs the provider's answer, not one cached by an earlier test. */
const fresh = { bypass_cache: true };

let live: LiveServer;
beforeAll(async () => {
  live = await startLiveServer();
});
afterAll(() => live?.stop());

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('analyzeStream against the running service', () => {
  it('yields growing partial objects, then the validated final answer typed by the schema', async () => {
    live.answer(invoice);
    const events = await collect(
      live.client.analyzeStream({ prompt: 'Invoice INV-7, 120.50', schema: Invoice, options: fresh }),
    );
    const partials = events.filter((event) => event.type === 'partial');
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.every((event) => event.attempt === 1)).toBe(true);
    const final = events.at(-1)!;
    expect(final.type).toBe('final');
    if (final.type !== 'final') return;
    expectTypeOf(final.result.data).toEqualTypeOf<{ number: string; total: number }>();
    expect(final.result.data).toEqual({ number: 'INV-7', total: 120.5 });
    expect(final.result.validation).toMatchObject({ status: 'passed', attempts: 1 });
    const sent = live.providerCalls().at(-1)!.body as { stream?: boolean };
    expect(sent.stream).toBe(true);
  });

  it('announces the re-ask when the first answer is invalid, then yields the validated final', async () => {
    live.answer(invoice);
    live.fake.script(openAiStream('{"number": 7', { pieces: 3 }));
    const events = await collect(
      live.client.analyzeStream({ prompt: 'Invoice INV-7, 120.50', schema: Invoice, options: fresh }),
    );
    const types = events.map((event) => event.type);
    const attemptAt = types.indexOf('attempt');
    expect(attemptAt).toBeGreaterThan(-1);
    const attempt = events[attemptAt] as Extract<AnalyzeStreamEvent<unknown>, { type: 'attempt' }>;
    expect(attempt.attempt).toBe(2);
    expect(attempt.errors.length).toBeGreaterThan(0);
    const later = events.slice(attemptAt + 1).filter((event) => event.type === 'partial');
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((event) => event.attempt === 2)).toBe(true);
    const final = events.at(-1)!;
    expect(final).toMatchObject({ type: 'final', result: { validation: { status: 'passed', attempts: 2 } } });
  });

  it('throws the typed error of an error event, with the problem and request id', async () => {
    live.answer(JSON.stringify({ total: 7 }));
    const schema = { type: 'object', required: ['number', 'total'], properties: Invoice.properties };
    const stream = live.client.analyzeStream({
      prompt: 'Invoice INV-7 without a number',
      schema,
      options: { ...fresh, validation: 'strict', max_repair_attempts: 0 },
    });
    const error = await collect(stream).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).lastOutput).toBe('{"total":7}');
    expect((error as ValidationFailedError).requestId).toMatch(/\S/);
  });

  it('throws a refusal before the stream starts as the typed error', async () => {
    const error = await collect(live.client.analyzeStream({ prompt: '' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it('stops mid-stream when the signal aborts, and the provider call is dropped', async () => {
    live.answer(invoice);
    live.fake.script(openAiStream(invoice, { pieces: 30, intervalMs: 200 }));
    const controller = new AbortController();
    const seen: string[] = [];
    const outcome = (async () => {
      for await (const event of live.client.analyzeStream(
        { prompt: 'Invoice', schema: Invoice, options: fresh },
        { signal: controller.signal },
      )) {
        seen.push(event.type);
        if (event.type === 'partial') controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(await outcome).toBeInstanceOf(AbortedError);
    expect(seen).toEqual(['partial']);
    await live.fake.whenClientAborts();
    const call = live.fake.requests.find((request) => request.abortedByClient)!;
    expect(call.eventsSent).toBeLessThan(30);
  });

  it('times out a stream that outlasts timeoutMs', async () => {
    live.fake.script(openAiStream(invoice, { pieces: 30, intervalMs: 200 }));
    const client = new StructuredPromptClient({
      baseUrl: live.baseUrl,
      apiKey: live.userKey.key,
      timeoutMs: 700,
    });
    const error = await collect(
      client.analyzeStream({ prompt: 'Invoice, too slow', schema: Invoice, options: fresh }),
    ).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
  });
});
