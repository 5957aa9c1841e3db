import { afterEach, describe, expect, it } from 'vitest';
import { testRequest, testSettings, testTransport } from '../../../test/adapter-test-support.ts';
import { type FakeReply, FakeVendorServer } from '../../../test/fake-vendor-server.ts';
import { anthropicToolStream, geminiStream, openAiStream } from '../../../test/vendor-streams.ts';
import type { TextSink } from '../../spec/provider.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import type { FetchFunction } from '../../transport/index.ts';
import { createAnthropicProvider } from '../anthropic/anthropic-provider.ts';
import { createGeminiProvider } from '../gemini/gemini-provider.ts';
import { createOpenAiProvider } from '../openai/openai-provider.ts';
import { createOpenAiCompatibleProvider } from '../openai-compatible/openai-compatible-provider.ts';
import type { AiSdkProvider } from './ai-sdk-provider.ts';

const transport = testTransport();
const answer = { intent: 'book a table for two people tonight', language: 'en' };
const answerText = JSON.stringify(answer);

let fake: FakeVendorServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Vendor {
  name: string;
  create: (settings: ProviderSettings, fetch: FetchFunction) => AiSdkProvider;
  settings: (url: string) => Partial<ProviderSettings> & Pick<ProviderSettings, 'kind'>;
  stream: (pieces: number, intervalMs?: number) => FakeReply;
}

const vendors: Vendor[] = [
  {
    name: 'OpenAI',
    create: createOpenAiProvider,
    settings: (url) => ({
      kind: 'openai',
      apiKey: 'sk-test',
      baseUrl: `${url}/v1`,
      defaultModel: 'gpt-4o-mini',
    }),
    stream: (pieces, intervalMs) => openAiStream(answerText, { pieces, intervalMs }),
  },
  {
    name: 'OpenAI-compatible',
    create: createOpenAiCompatibleProvider,
    settings: (url) => ({
      kind: 'openai-compatible',
      name: 'ollama',
      baseUrl: `${url}/v1`,
      defaultModel: 'llama3.1:8b',
    }),
    stream: (pieces, intervalMs) => openAiStream(answerText, { pieces, intervalMs, model: 'llama3.1:8b' }),
  },
  {
    name: 'Anthropic',
    create: createAnthropicProvider,
    settings: (url) => ({
      kind: 'anthropic',
      apiKey: 'sk-ant-test',
      baseUrl: `${url}/v1`,
      defaultModel: 'claude-haiku-4-5',
      maxTokens: 512,
    }),
    stream: (pieces, intervalMs) => anthropicToolStream('intent', answer, { pieces, intervalMs }),
  },
  {
    name: 'Gemini',
    create: createGeminiProvider,
    settings: (url) => ({
      kind: 'gemini',
      apiKey: 'AIza-test',
      baseUrl: `${url}/v1beta`,
      defaultModel: 'gemini-2.5-flash',
    }),
    stream: (pieces, intervalMs) => geminiStream(answerText, { pieces, intervalMs }),
  },
];

/** A sink that records what it was handed, and when a call started over. */
function recordingSink(onText?: (delta: string) => void | Promise<void>) {
  const deltas: string[] = [];
  let starts = 0;
  const sink: TextSink = {
    start: () => {
      starts += 1;
    },
    text: (delta) => {
      deltas.push(delta);
      return onText?.(delta);
    },
  };
  return { sink, deltas, starts: () => starts };
}

describe.each(vendors)('$name adapter streaming from a fake vendor', (vendor) => {
  const start = async (reply: FakeReply) => {
    fake = await FakeVendorServer.start(() => reply);
    return vendor.create(testSettings(vendor.settings(fake.url)), transport.fetch);
  };

  it('hands the answer over in the pieces the vendor sent, and returns the whole answer', async () => {
    const provider = await start(vendor.stream(6));
    const { sink, deltas } = recordingSink();
    const result = await provider.generate(testRequest(), { signal: AbortSignal.timeout(10_000), sink });
    expect(deltas.length).toBeGreaterThanOrEqual(6);
    expect(JSON.parse(deltas.join(''))).toEqual(answer);
    expect(JSON.parse(result.text)).toEqual(answer);
    expect(result.usage).toEqual({ promptTokens: 100, completionTokens: 20 });
    expect(result.finishReason).toBe('stop');
  });

  it('waits for the sink before reading on: no piece arrives while the previous one is being handled', async () => {
    const provider = await start(vendor.stream(5));
    let busy = false;
    let overlapped = false;
    const { sink, deltas } = recordingSink(async () => {
      if (busy) overlapped = true;
      busy = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      busy = false;
    });
    await provider.generate(testRequest(), { signal: AbortSignal.timeout(10_000), sink });
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(overlapped).toBe(false);
  });

  it('aborts the vendor call mid-stream when the signal aborts', async () => {
    const provider = await start(vendor.stream(40, 50));
    const controller = new AbortController();
    const { sink } = recordingSink((delta) => {
      if (delta.length > 0) controller.abort(new Error('client went away'));
    });
    await expect(provider.generate(testRequest(), { signal: controller.signal, sink })).rejects.toMatchObject(
      {
        kind: 'aborted',
      },
    );
    await fake!.whenClientAborts();
    expect(fake!.requests[0]!.abortedByClient).toBe(true);
    expect(fake!.requests[0]!.eventsSent).toBeLessThan(40);
  });
});
