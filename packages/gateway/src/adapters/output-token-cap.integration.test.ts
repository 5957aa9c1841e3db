import { afterEach, describe, expect, it } from 'vitest';
import { testRequest, testSettings, testTransport } from '../../test/adapter-test-support.ts';
import { FakeVendorServer, type ReplyFactory } from '../../test/fake-vendor-server.ts';
import { anthropicToolUse, geminiContent, openAiCompletion } from '../../test/vendor-replies.ts';
import type { Provider } from '../spec/provider.ts';
import { outputTokenCap, type ProviderSettings } from '../spec/provider-settings.ts';
import { createAnthropicProvider } from './anthropic/anthropic-provider.ts';
import { createGeminiProvider } from './gemini/gemini-provider.ts';
import { createOpenAiProvider } from './openai/openai-provider.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible/openai-compatible-provider.ts';

const transport = testTransport();
const fakes: FakeVendorServer[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

interface Vendor {
  kind: ProviderSettings['kind'];
  /** `/v1` or the like after the fake's address. */
  basePath: string;
  reply: ReplyFactory;
  create(settings: ProviderSettings): Provider;
  /** Where the vendor's wire format carries the output-token limit. */
  sentCap(body: unknown): unknown;
}

const vendors: Vendor[] = [
  {
    kind: 'openai',
    basePath: '/v1',
    reply: () => openAiCompletion('{"intent":"book","language":"en"}'),
    create: (settings) => createOpenAiProvider(settings, transport.fetch),
    sentCap: (body) => (body as { max_tokens?: number }).max_tokens,
  },
  {
    kind: 'openai-compatible',
    basePath: '/v1',
    reply: () => openAiCompletion('{"intent":"book","language":"en"}'),
    create: (settings) => createOpenAiCompatibleProvider(settings, transport.fetch),
    sentCap: (body) => (body as { max_tokens?: number }).max_tokens,
  },
  {
    kind: 'anthropic',
    basePath: '/v1',
    reply: () => anthropicToolUse('intent', { intent: 'book', language: 'en' }),
    create: (settings) => createAnthropicProvider(settings, transport.fetch),
    sentCap: (body) => (body as { max_tokens?: number }).max_tokens,
  },
  {
    kind: 'gemini',
    basePath: '/v1beta',
    reply: () => geminiContent('{"intent":"book","language":"en"}'),
    create: (settings) => createGeminiProvider(settings, transport.fetch),
    sentCap: (body) =>
      (body as { generationConfig?: { maxOutputTokens?: number } }).generationConfig?.maxOutputTokens,
  },
];

/** What the fake vendor received as the output-token limit for one call. */
async function capSent(vendor: Vendor, settings: Partial<ProviderSettings>, maxTokens?: number) {
  const fake = await FakeVendorServer.start(vendor.reply);
  fakes.push(fake);
  const resolved = testSettings({
    kind: vendor.kind,
    apiKey: 'test-key',
    baseUrl: `${fake.url}${vendor.basePath}`,
    defaultModel: 'test-model',
    ...settings,
  });
  const request = testRequest(maxTokens === undefined ? {} : { maxTokens });
  await vendor.create(resolved).generate(request, { signal: AbortSignal.timeout(10_000) });
  expect(fake.requests).toHaveLength(1);
  return { sent: vendor.sentCap(fake.requests[0]!.body), assumed: outputTokenCap(request, resolved) };
}

/**
 * The cost estimate (and so the budget reservation) assumes an output-token limit; every vendor
 * adapter must send that same limit, or an answer could run longer and cost more than was reserved.
 */
describe.each(vendors)('$kind adapter sends the output-token limit the estimate assumes', (vendor) => {
  it('sends the default limit when neither the request nor the provider sets one', async () => {
    const { sent, assumed } = await capSent(vendor, {});
    expect(sent).toBe(assumed);
    expect(sent).toBeGreaterThan(0);
  });

  it("sends the provider's limit, and the request's limit over it", async () => {
    const fromProvider = await capSent(vendor, { maxTokens: 700 });
    expect(fromProvider.sent).toBe(700);
    expect(fromProvider.assumed).toBe(700);
    const fromRequest = await capSent(vendor, { maxTokens: 700 }, 300);
    expect(fromRequest.sent).toBe(300);
    expect(fromRequest.assumed).toBe(300);
  });
});
