import { describe, expect, it } from 'vitest';
import { resolveProviderSettings } from './resolve-settings.ts';

describe('resolveProviderSettings', () => {
  it('adds a provider per environment shortcut with kind defaults', () => {
    const resolved = resolveProviderSettings({
      openaiApiKey: 'sk-test',
      geminiApiKey: 'g',
      localModelPath: '/m/tiny.gguf',
    });
    expect(resolved.map((entry) => entry.settings.name)).toEqual(['openai', 'gemini', 'local']);
    expect(resolved[0]?.settings).toMatchObject({
      kind: 'openai',
      defaultModel: 'gpt-4o-mini',
      models: ['gpt-4o-mini'],
      enabled: true,
    });
    expect(resolved[2]?.settings).toMatchObject({ kind: 'local', defaultModel: 'tiny', maxConcurrency: 1 });
  });

  it('fills secrets of file entries from the environment and keeps file structure', () => {
    const resolved = resolveProviderSettings({
      entries: [{ name: 'openai', kind: 'openai', models: ['gpt-4.1', 'gpt-4o'], timeoutMs: 5000 }],
      openaiApiKey: 'sk-env',
      openaiBaseUrl: 'http://127.0.0.1:1/v1',
    });
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.settings).toMatchObject({
      apiKey: 'sk-env',
      baseUrl: 'http://127.0.0.1:1/v1',
      defaultModel: 'gpt-4.1',
      timeoutMs: 5000,
    });
  });

  it('keeps entries that cannot run, disabled with the reason', () => {
    const resolved = resolveProviderSettings({
      entries: [
        { name: 'claude', kind: 'anthropic' },
        { name: 'groq', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:2/v1', enabled: false },
      ],
    });
    expect(resolved.map((entry) => [entry.settings.enabled, entry.disabledReason])).toEqual([
      [false, 'no API key configured'],
      [false, 'disabled in config'],
    ]);
  });

  it('does not invent a provider from a base URL alone', () => {
    expect(resolveProviderSettings({ openaiBaseUrl: 'http://127.0.0.1:3/v1' })).toEqual([]);
  });
});
