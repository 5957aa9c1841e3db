import { createProviderGateway, type GatewayConfig } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

describe('gateway built from the loaded config', () => {
  it('accepts the validated config sections as they are and lists providers from env shortcuts', () => {
    const config = loadConfig({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
        LOCAL_MODEL_PATH: '/models/x.gguf',
      },
      readDotEnv: false,
    });
    const sections: GatewayConfig = { providers: config.providers, router: config.router };
    const gateway = createProviderGateway(sections, {
      localRuntimeDirectory: '/nonexistent',
      heuristic: false,
    });
    const status = gateway.listProviderStatus();
    expect(status.map((row) => [row.name, row.enabled, row.disabledReason])).toEqual([
      ['openai', true, null],
      ['local', false, 'not installed (run npm run setup:local-llm)'],
    ]);
    expect(status[0]).toMatchObject({
      defaultModel: 'gpt-4o-mini',
      circuit: 'closed',
      healthy: true,
      prices: { 'gpt-4o-mini': { inputPer1k: 0.00015 } },
    });
  });
});

describe('heuristic as the last fallback', () => {
  it('is appended by default and always listed last', async () => {
    const config = loadConfig({ env: { GEMINI_API_KEY: 'g' }, readDotEnv: false });
    const gateway = createProviderGateway({ providers: config.providers, router: config.router });
    expect(gateway.listProviderStatus().map((row) => [row.name, row.kind])).toEqual([
      ['gemini', 'gemini'],
      ['heuristic', 'heuristic'],
    ]);
    await gateway.close();
  });
});
