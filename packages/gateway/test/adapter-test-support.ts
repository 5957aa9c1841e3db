import { afterAll, expect } from 'vitest';
import type { GenerateRequest } from '../src/spec/provider.ts';
import { ProviderError } from '../src/spec/provider-error.ts';
import type { ProviderSettings } from '../src/spec/provider-settings.ts';
import {
  createProviderTransport,
  type ProviderTransport,
  type TransportOptions,
} from '../src/transport/index.ts';

/** A transport for the adapters of one test file, closed when the file's tests are done. */
export function testTransport(options: TransportOptions = {}): ProviderTransport {
  const transport = createProviderTransport(options);
  afterAll(() => transport.close());
  return transport;
}

/** Settings for adapter tests; only what the test cares about needs saying. */
export function testSettings(
  overrides: Partial<ProviderSettings> & Pick<ProviderSettings, 'kind'>,
): ProviderSettings {
  return {
    name: overrides.kind,
    enabled: true,
    models: [],
    defaultModel: 'test-model',
    timeoutMs: 5000,
    priority: 100,
    maxConcurrency: 64,
    structuredOutputs: true,
    ...overrides,
  };
}

export const intentSchema = {
  type: 'object',
  properties: {
    intent: { type: 'string', maxLength: 40 },
    language: { type: 'string', enum: ['en', 'de'] },
    note: { type: 'string' },
  },
  required: ['intent', 'language'],
} as const;

export function testRequest(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    system: 'Extract the intent.',
    messages: [{ role: 'user', content: 'Book a table for two' }],
    schema: intentSchema,
    schemaName: 'intent',
    prompt: 'Book a table for two',
    ...overrides,
  };
}

/** The ProviderError a call rejects with; fails the test when it resolves or throws something else. */
export async function providerFailure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
