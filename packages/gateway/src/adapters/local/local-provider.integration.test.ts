import { existsSync } from 'node:fs';
import { defaultOutputSchema } from '@structured-prompt/contracts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { testRequest, testSettings } from '../../../test/adapter-test-support.ts';
import { LocalProvider } from './local-provider.ts';
import { isRuntimeInstalled, notInstalledReason } from './node-llama-cpp-runtime.ts';

const modelPath = new URL('../../../../../../shared/models/llama-2-tiny-random.gguf', import.meta.url)
  .pathname;
const skipReason = !existsSync(modelPath)
  ? `test model ${modelPath} is absent`
  : !isRuntimeInstalled()
    ? `node-llama-cpp is ${notInstalledReason}`
    : undefined;
if (skipReason) console.warn(`local provider end-to-end tests skipped: ${skipReason}`);

const provider = new LocalProvider(
  testSettings({
    kind: 'local',
    name: 'local',
    defaultModel: 'llama-2-tiny-random',
    models: ['llama-2-tiny-random'],
    modelPath,
    maxConcurrency: 1,
    maxTokens: 400,
    maxStringLength: 12,
    maxArrayItems: 2,
    contextSize: 1024,
    timeoutMs: 150_000,
  }),
);
afterAll(() => provider.close());

const ajv = new Ajv2020({ strict: false });

// Grammar-constrained sampling over a 32k-token vocabulary is slow on 2 shared CPU cores even for this
// tiny model; each generation is bounded by its own abort signal, and the test by the same bound.
const generationBoundMs = 150_000;

describe.skipIf(skipReason !== undefined)('local GGUF provider with the tiny random model', () => {
  it(
    'loads, generates under the grammar, and the gibberish parses and validates against the schema',
    async () => {
      const schema = { ...defaultOutputSchema } as Record<string, unknown>;
      delete schema.$schema;
      const result = await provider.generate(testRequest({ schema, schemaName: 'default' }), {
        signal: AbortSignal.timeout(generationBoundMs),
      });
      expect(result.finishReason).toBe('stop');
      const data = JSON.parse(result.text) as Record<string, unknown>;
      expect(ajv.validate(schema, data), JSON.stringify(ajv.errors)).toBe(true);
      expect((data.subject as string).length).toBeLessThanOrEqual(12);
      expect((data.entities as unknown[]).length).toBeLessThanOrEqual(2);
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.usage.completionTokens).toBeGreaterThan(0);
    },
    generationBoundMs + 10_000,
  );

  it(
    'keeps a recursive schema finite and reports what the grammar cannot enforce',
    async () => {
      const schema = {
        type: 'object',
        $defs: {
          node: {
            type: 'object',
            properties: {
              label: { type: 'string', pattern: '^[a-z]+$' },
              children: { type: 'array', items: { $ref: '#/$defs/node' } },
            },
            required: ['label', 'children'],
          },
        },
        properties: { tree: { $ref: '#/$defs/node' }, count: { type: 'integer', minimum: 0, maximum: 9 } },
        required: ['tree', 'count'],
      };
      const result = await provider.generate(testRequest({ schema, schemaName: 'tree' }), {
        signal: AbortSignal.timeout(generationBoundMs),
      });
      const data = JSON.parse(result.text) as { tree: { label: string }; count: number };
      expect(typeof data.tree.label).toBe('string');
      expect(Number.isInteger(data.count)).toBe(true);
      expect(result.warnings).toEqual(
        expect.arrayContaining([
          expect.stringContaining('pattern'),
          expect.stringContaining('minimum'),
          expect.stringContaining('unrolled'),
        ]),
      );
    },
    generationBoundMs + 10_000,
  );

  it('aborts a generation when the caller deadline passes', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    await expect(provider.generate(testRequest(), { signal: controller.signal })).rejects.toMatchObject({
      kind: 'timeout',
    });
  });
});

describe('local provider without its runtime', () => {
  it('fails with a clear, non-retryable error when node-llama-cpp cannot be loaded', async () => {
    const missing = new LocalProvider(testSettings({ kind: 'local', modelPath: '/nonexistent.gguf' }), {
      loadRuntime: () => Promise.reject(new Error('Cannot find package node-llama-cpp')),
    });
    await expect(
      missing.generate(testRequest(), { signal: AbortSignal.timeout(5000) }),
    ).rejects.toMatchObject({
      kind: 'connection',
      isRetryable: false,
      message: expect.stringContaining('failed to load'),
    });
  });
});
