import { fileURLToPath } from 'node:url';
import { createProviderGateway } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index.ts';

const exampleFile = fileURLToPath(
  new URL('../../../../deploy/config/sps.config.example.yaml', import.meta.url),
);

describe('deploy/config/sps.config.example.yaml', () => {
  it('validates and builds a gateway with keys from the environment', () => {
    const config = loadConfig({
      env: { SPS_CONFIG_FILE: exampleFile, GEMINI_API_KEY: 'g', ANTHROPIC_API_KEY: 'a' },
      readDotEnv: false,
    });
    const gateway = createProviderGateway(
      { providers: config.providers, router: config.router },
      { heuristic: false },
    );
    expect(gateway.listProviderStatus().map((row) => [row.name, row.enabled, row.disabledReason])).toEqual([
      ['gemini', true, null],
      ['anthropic', true, null],
      ['openai', false, 'no API key configured'],
      ['ollama', false, 'disabled in config'],
      ['local', false, 'disabled in config'],
    ]);
  });
});
