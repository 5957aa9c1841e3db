import { afterEach, describe, expect, it, vi } from 'vitest';
import { providerFailure, testRequest, testSettings } from '../../test/adapter-test-support.ts';
import { type FakeServerOptions, FakeVendorServer } from '../../test/fake-vendor-server.ts';
import { ForwardProxy } from '../../test/forward-proxy.ts';
import { createTestCertificate } from '../../test/test-certificate.ts';
import { openAiCompletion } from '../../test/vendor-replies.ts';
import { createOpenAiCompatibleProvider } from '../adapters/openai-compatible/openai-compatible-provider.ts';
import { createProviderTransport } from './provider-transport.ts';
import type { TransportOptions } from './transport-options.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeVendor(options: FakeServerOptions = {}): Promise<FakeVendorServer> {
  const fake = await FakeVendorServer.start(
    () => openAiCompletion('{"intent":"book","language":"en"}'),
    options,
  );
  cleanups.push(() => fake.close());
  return fake;
}

async function forwardProxy(): Promise<ForwardProxy> {
  const proxy = await ForwardProxy.start();
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A real provider call from an OpenAI-compatible adapter over a transport with these settings. */
function callThrough(fake: FakeVendorServer, options: TransportOptions) {
  const transport = createProviderTransport(options);
  cleanups.push(() => transport.close());
  const provider = createOpenAiCompatibleProvider(
    testSettings({ kind: 'openai-compatible', name: 'vllm', baseUrl: `${fake.url}/v1` }),
    transport.fetch,
  );
  return provider.generate(testRequest(), { signal: AbortSignal.timeout(10_000) });
}

describe('calls to vendors through an HTTP proxy', () => {
  it('forwards http:// calls to the proxy as absolute-URI requests', async () => {
    const [fake, proxy] = await Promise.all([fakeVendor(), forwardProxy()]);
    const result = await callThrough(fake, { httpProxy: proxy.url });
    expect(result.text).toBe('{"intent":"book","language":"en"}');
    expect(proxy.forwarded.map((request) => request.target)).toEqual([`${fake.url}/v1/chat/completions`]);
    expect(fake.requests).toHaveLength(1);
  });

  it('does not use the https proxy for http:// calls', async () => {
    const [fake, proxy] = await Promise.all([fakeVendor(), forwardProxy()]);
    await callThrough(fake, { httpsProxy: proxy.url });
    expect(proxy.requests).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('goes straight to hosts that NO_PROXY names, and through the proxy for the others', async () => {
    const [bypassed, proxied, proxy] = await Promise.all([fakeVendor(), fakeVendor(), forwardProxy()]);
    const noProxy = `example.internal, ${new URL(bypassed.url).host}`;
    await callThrough(bypassed, { httpProxy: proxy.url, noProxy });
    expect(proxy.requests).toEqual([]);
    expect(bypassed.requests).toHaveLength(1);
    await callThrough(proxied, { httpProxy: proxy.url, noProxy });
    expect(proxy.forwarded.map((request) => request.target)).toEqual([`${proxied.url}/v1/chat/completions`]);
  });

  it('sends the credentials of the proxy URL to the proxy, never to the vendor', async () => {
    const [fake, proxy] = await Promise.all([fakeVendor(), forwardProxy()]);
    const withCredentials = proxy.url.replace('http://', 'http://egress:s3cret@');
    await callThrough(fake, { httpProxy: withCredentials });
    expect(proxy.forwarded[0]?.proxyAuthorization).toBe(`Basic ${btoa('egress:s3cret')}`);
    expect(fake.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('ignores proxy variables of the process environment: only the settings passed in count', async () => {
    const [fake, proxy] = await Promise.all([fakeVendor(), forwardProxy()]);
    vi.stubEnv('http_proxy', 'http://127.0.0.1:9');
    vi.stubEnv('HTTP_PROXY', 'http://127.0.0.1:9');
    vi.stubEnv('NO_PROXY', '');
    try {
      await callThrough(fake, {});
      await callThrough(fake, { httpsProxy: proxy.url });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(fake.requests).toHaveLength(2);
    expect(proxy.requests).toEqual([]);
  });

  it('fails as a connection error when the proxy cannot be reached', async () => {
    const fake = await fakeVendor();
    const error = await providerFailure(callThrough(fake, { httpProxy: 'http://127.0.0.1:9' }));
    expect(error).toMatchObject({ kind: 'connection', isRetryable: true });
    expect(fake.requests).toHaveLength(0);
  });
});

const certificate = createTestCertificate();

describe.skipIf(!certificate)('TLS to vendors (skipped when the openssl command is not installed)', () => {
  const tls = () => ({ tls: { key: certificate!.key, cert: certificate!.cert } });

  it('reaches a vendor whose certificate a configured CA file vouches for', async () => {
    const fake = await fakeVendor(tls());
    expect(fake.url).toMatch(/^https:/);
    const result = await callThrough(fake, { caFile: certificate!.certFile });
    expect(result.text).toBe('{"intent":"book","language":"en"}');
  });

  it('refuses the same vendor without the CA file', async () => {
    const fake = await fakeVendor(tls());
    const error = await providerFailure(callThrough(fake, {}));
    expect(error).toMatchObject({ kind: 'connection' });
    expect(error.message).toMatch(/certificate/i);
    expect(fake.requests).toHaveLength(0);
  });

  it('tunnels https:// calls through the proxy with CONNECT and checks the vendor certificate inside', async () => {
    const [fake, proxy] = await Promise.all([fakeVendor(tls()), forwardProxy()]);
    const result = await callThrough(fake, { httpsProxy: proxy.url, caFile: certificate!.certFile });
    expect(result.text).toBe('{"intent":"book","language":"en"}');
    expect(proxy.tunnels.map((request) => request.target)).toEqual([new URL(fake.url).host]);
    expect(proxy.forwarded).toEqual([]);
    const untrusted = await providerFailure(callThrough(fake, { httpsProxy: proxy.url }));
    expect(untrusted.message).toMatch(/certificate/i);
  });
});
