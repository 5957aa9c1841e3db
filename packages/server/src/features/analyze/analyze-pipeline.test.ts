import { defaultOutputSchema } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { ScriptedGateway, type ScriptedStep } from '../../../test/support/scripted-gateway.ts';
import { AppError } from '../../lib/app-error.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import { type AnalyzePipelineInput, runAnalyzePipeline } from './analyze-pipeline.ts';
import { ValidatorCache } from './validator-cache.ts';

const valid = {
  intent: 'translate',
  subject: 'Hello World',
  entities: [{ type: 'language', value: 'French' }],
  output_format: 'text',
  original_language: 'en',
};
const invalid = { ...valid, intent: 'dance', entities: [{ type: 'language' }] };
const missingSubject = { intent: 'translate', entities: [], output_format: 'text', original_language: 'en' };

function input(overrides: Partial<AnalyzePipelineInput> = {}): AnalyzePipelineInput {
  const schema = overrides.schema ?? defaultOutputSchema;
  return {
    prompt: 'Translate Hello World to French',
    language: 'en',
    schema,
    schemaHash: schemaHash(schema),
    schemaName: 'default',
    validation: 'strict',
    maxRepairAttempts: 2,
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function run(steps: ScriptedStep[], overrides: Partial<AnalyzePipelineInput> = {}, estimate = 0) {
  const gateway = new ScriptedGateway(steps, { estimate });
  const deps = { gateway, validators: new ValidatorCache({ maxEntries: 10 }) };
  return { gateway, result: await runAnalyzePipeline(input(overrides), deps) };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('runAnalyzePipeline', () => {
  it('returns a valid first answer with status passed', async () => {
    const { gateway, result } = await run([
      { text: JSON.stringify(valid), provider: 'openai', model: 'gpt-x' },
    ]);
    expect(result).toMatchObject({
      data: valid,
      validation: { status: 'passed', errors: [], attempts: 1 },
      confidence: 1,
      provider: 'openai',
      model: 'gpt-x',
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15, costUsd: 0 },
      warnings: [],
    });
    const request = gateway.calls[0]!.request;
    expect(request.system).toContain('"PromptAnalysis"');
    expect(request.messages).toHaveLength(1);
    expect(request).toMatchObject({
      schemaName: 'default',
      prompt: 'Translate Hello World to French',
      language: 'en',
    });
  });

  it('passes generation options and the pinned provider to the gateway', async () => {
    const { gateway } = await run([{ text: JSON.stringify(valid) }], {
      provider: 'anthropic',
      model: 'claude-x',
      temperature: 0.2,
      maxTokens: 300,
    });
    expect(gateway.calls[0]!.request).toMatchObject({ model: 'claude-x', temperature: 0.2, maxTokens: 300 });
    expect(gateway.calls[0]!.options).toMatchObject({ provider: 'anthropic', model: 'claude-x' });
  });

  it('re-asks with the errors by path after an invalid answer, then accepts the valid one', async () => {
    const { gateway, result } = await run([
      { text: JSON.stringify(invalid), promptTokens: 100, completionTokens: 20, costUsd: 0.001, llmMs: 7 },
      {
        text: `\`\`\`json\n${JSON.stringify(valid)}\n\`\`\``,
        promptTokens: 150,
        completionTokens: 25,
        costUsd: 0.002,
        llmMs: 5,
      },
    ]);
    expect(gateway.calls).toHaveLength(2);
    const reask = gateway.calls[1]!.request.messages;
    expect(reask.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(reask[1]!.content).toBe(JSON.stringify(invalid));
    expect(reask[2]!.content).toContain('- /intent: must be one of');
    expect(reask[2]!.content).toContain('- /entities/0/value: is required but missing');
    expect(result.validation).toEqual({ status: 'passed', errors: [], attempts: 2 });
    expect(result.usage).toEqual({
      promptTokens: 250,
      completionTokens: 45,
      totalTokens: 295,
      costUsd: 0.003,
    });
    expect(result.llmMs).toBe(12);
    // One re-ask and a stripped code fence.
    expect(result.confidence).toBe(0.808);
  });

  it('re-asks after an answer that is not JSON at all', async () => {
    const { gateway, result } = await run([{ text: 'Bonjour le monde!' }, { text: JSON.stringify(valid) }]);
    expect(gateway.calls[1]!.request.messages[2]!.content).toContain('not valid JSON');
    expect(result.validation.attempts).toBe(2);
  });

  it('fails with 422 carrying the errors, the last output and the usage when attempts run out', async () => {
    const gateway = new ScriptedGateway([
      { text: JSON.stringify(invalid), costUsd: 0.01 },
      { text: '{"intent": "dance"', costUsd: 0.01 },
      { text: JSON.stringify(missingSubject), costUsd: 0.01 },
    ]);
    const error = await rejection(
      runAnalyzePipeline(input(), { gateway, validators: new ValidatorCache({ maxEntries: 10 }) }),
    );
    expect(gateway.calls).toHaveLength(3);
    expect(error.code).toBe('output_validation_failed');
    expect(error.status).toBe(422);
    expect(error.errors).toEqual([
      { path: '/subject', message: 'is required but missing', keyword: 'required' },
    ]);
    expect(error.extensions).toMatchObject({
      last_output: JSON.stringify(missingSubject),
      attempts: 3,
      usage: { prompt_tokens: 30, completion_tokens: 15, total_tokens: 45, cost_usd: 0.03 },
    });
  });

  it('stops re-asking when the same provider repeats its rejected answer word for word', async () => {
    const same = { text: JSON.stringify(invalid), provider: 'heuristic', model: 'rules' };
    const gateway = new ScriptedGateway([same, same, same]);
    const validators = new ValidatorCache({ maxEntries: 10 });
    const error = await rejection(runAnalyzePipeline(input(), { gateway, validators }));
    expect(gateway.calls).toHaveLength(2);
    expect(String(error.extensions.warnings)).toContain('repeated the same invalid answer');
  });

  it('makes exactly one attempt when no re-ask is allowed', async () => {
    const gateway = new ScriptedGateway([{ text: JSON.stringify(invalid) }, { text: JSON.stringify(valid) }]);
    const validators = new ValidatorCache({ maxEntries: 10 });
    await rejection(runAnalyzePipeline(input({ maxRepairAttempts: 0 }), { gateway, validators }));
    expect(gateway.calls).toHaveLength(1);
  });

  it('stops re-asking when the next attempt would push the cost over max_cost_usd', async () => {
    const gateway = new ScriptedGateway(
      [
        { text: JSON.stringify(invalid), costUsd: 0.004 },
        { text: JSON.stringify(missingSubject), costUsd: 0.004 },
        { text: JSON.stringify(valid), costUsd: 0.004 },
      ],
      { estimate: 0.005 },
    );
    const validators = new ValidatorCache({ maxEntries: 10 });
    const error = await rejection(runAnalyzePipeline(input({ maxCostUsd: 0.01 }), { gateway, validators }));
    // 0.004 + 0.005 fits, 0.008 + 0.005 does not.
    expect(gateway.calls).toHaveLength(2);
    expect(gateway.estimates).toHaveLength(2);
    expect(gateway.estimates[1]!.messages).toHaveLength(3);
    expect(error.extensions.attempts).toBe(2);
    expect(String(error.extensions.warnings)).toContain('max_cost_usd');
  });

  it('counts the cost of failed provider calls inside an attempt', async () => {
    const { result } = await run([
      {
        text: JSON.stringify(valid),
        costUsd: 0.002,
        failedAttempts: [
          { provider: 'openai', model: 'm', kind: 'timeout', message: 'timed out', costUsd: 0.001 },
        ],
      },
    ]);
    expect(result.usage.costUsd).toBe(0.003);
    expect(result.failedAttempts).toHaveLength(1);
  });

  describe('relaxed mode', () => {
    it('after the attempts, tolerates missing required fields and extra properties: passed_relaxed', async () => {
      const relaxedAnswer = { ...missingSubject, mood: 'happy' };
      const { gateway, result } = await run(
        [{ text: JSON.stringify(relaxedAnswer) }, { text: JSON.stringify(relaxedAnswer) }],
        {
          validation: 'relaxed',
          maxRepairAttempts: 1,
        },
      );
      expect(gateway.calls).toHaveLength(2);
      expect(result.data).toEqual(relaxedAnswer);
      expect(result.validation.status).toBe('passed_relaxed');
      expect(result.validation.errors.map((error) => `${error.keyword} ${error.path}`).sort()).toEqual([
        'additionalProperties /mood',
        'required /subject',
      ]);
      expect(result.warnings.join(' ')).toContain('relaxed');
      expect(result.confidence).toBeLessThan(0.6);
    });

    it('does not relax wrong types: status failed, data returned, with a warning', async () => {
      const { result } = await run([{ text: JSON.stringify({ ...valid, intent: 7 }) }], {
        validation: 'relaxed',
        maxRepairAttempts: 0,
      });
      expect(result.validation.status).toBe('failed');
      expect(result.validation.errors.map((error) => error.keyword)).toContain('type');
      expect(result.warnings.join(' ')).toContain('does not conform');
    });

    it('never passes an answer that holds none of the schema properties', async () => {
      for (const answer of [{}, { mood: 'happy', note: 'nothing asked for' }]) {
        const { result } = await run([{ text: JSON.stringify(answer) }], {
          validation: 'relaxed',
          maxRepairAttempts: 0,
        });
        expect(result.validation.status).toBe('failed');
        expect(result.warnings.join(' ')).toContain("none of the schema's properties");
      }
    });

    it('coerces to pass relaxed when the coerced answer then validates relaxed', async () => {
      const { result } = await run([{ text: JSON.stringify({ ...missingSubject, intent: 'Translate' }) }], {
        validation: 'relaxed',
        maxRepairAttempts: 0,
      });
      expect(result.validation.status).toBe('passed_relaxed');
      expect(result.data).toEqual(missingSubject);
      expect(result.warnings).toContain('coerced /intent from "Translate" to "translate" (allowed value)');
    });

    it('still fails with 422 when nothing parseable came back', async () => {
      const gateway = new ScriptedGateway([{ text: 'no idea' }]);
      const validators = new ValidatorCache({ maxEntries: 10 });
      const error = await rejection(
        runAnalyzePipeline(input({ validation: 'relaxed', maxRepairAttempts: 0 }), { gateway, validators }),
      );
      expect(error.errors?.[0]?.keyword).toBe('parse');
    });
  });

  describe('validation off', () => {
    it('skips validation but still parses', async () => {
      const { gateway, result } = await run([{ text: "Sure: {'anything': [1, 2,]}" }], { validation: 'off' });
      expect(gateway.calls).toHaveLength(1);
      expect(result.data).toEqual({ anything: [1, 2] });
      expect(result.validation).toEqual({ status: 'skipped', errors: [], attempts: 1 });
    });

    it('re-asks when the answer is not JSON', async () => {
      const { gateway, result } = await run([{ text: 'hmm' }, { text: '[1]' }], { validation: 'off' });
      expect(gateway.calls).toHaveLength(2);
      expect(result.data).toEqual([1]);
    });
  });

  describe('schema-aware parsing', () => {
    it('coerces a near miss instead of re-asking, and lists every coercion in the warnings', async () => {
      const text = JSON.stringify({ ...valid, intent: 'The intent is to translate.', output_format: 'Text' });
      const { gateway, result } = await run([{ text }]);
      expect(gateway.calls).toHaveLength(1);
      expect(result.data).toEqual(valid);
      expect(result.validation.status).toBe('passed');
      expect(result.warnings).toEqual([
        'coerced /intent from "The intent is to translate." to "translate" (allowed value)',
        'coerced /output_format from "Text" to "text" (allowed value)',
      ]);
      // Two coercions: 0.9 × 0.9.
      expect(result.confidence).toBe(0.81);
    });

    it('re-asks when coercion would still leave the answer invalid, and keeps the answer as written', async () => {
      const almost = { ...missingSubject, intent: 'Translate' };
      const gateway = new ScriptedGateway([{ text: JSON.stringify(almost) }]);
      const validators = new ValidatorCache({ maxEntries: 10 });
      const error = await rejection(
        runAnalyzePipeline(input({ maxRepairAttempts: 0 }), { gateway, validators }),
      );
      expect(error.extensions.last_output).toBe(JSON.stringify(almost));
      expect(error.errors?.map((entry) => entry.path).sort()).toEqual(['/intent', '/subject']);
    });

    it('picks the value that validates out of several, and says so', async () => {
      const text = `Example: {"intent": "string"}\nAnswer: ${JSON.stringify(valid)}`;
      const { result } = await run([{ text }]);
      expect(result.data).toEqual(valid);
      expect(result.warnings).toEqual([
        'the answer held 2 JSON values; used the 2nd, the first that validates',
      ]);
      expect(result.confidence).toBe(0.9);
    });

    it('names the syntax repairs in one warning', async () => {
      const text = JSON.stringify(valid).replace('"translate"', "'translate'").replace('}]', '},]');
      const { result } = await run([{ text }]);
      expect(result.data).toEqual(valid);
      expect(result.warnings).toEqual([
        "the answer's JSON was repaired: replaced single quotes, removed trailing commas",
      ]);
      expect(result.confidence).toBe(0.8);
    });
  });

  it('applies the provider cap, and keeps only warnings about the answer (they are cached with it)', async () => {
    const { result } = await run(
      [{ text: JSON.stringify(valid), costUsd: 0.02, confidenceCap: 0.4, warnings: ['offline analyzer'] }],
      { maxCostUsd: 0.01 },
    );
    expect(result.confidence).toBe(0.4);
    expect(result.warnings).toEqual(['offline analyzer']);
  });

  it('warns when the answer was cut off at the token limit', async () => {
    const { result } = await run([{ text: JSON.stringify(valid), finishReason: 'length' }]);
    expect(result.warnings.join(' ')).toContain('max_tokens');
  });

  it('refuses a schema Ajv cannot compile before calling any provider', async () => {
    const gateway = new ScriptedGateway([]);
    const validators = new ValidatorCache({ maxEntries: 10 });
    const error = await rejection(
      runAnalyzePipeline(input({ schema: { $ref: '#/$defs/nope' }, schemaName: 'inline' }), {
        gateway,
        validators,
      }),
    );
    expect(error.code).toBe('invalid_schema');
    expect(gateway.calls).toHaveLength(0);
  });

  it('lets provider errors through untouched, after reporting what earlier attempts cost', async () => {
    const failure = new Error('all providers down');
    const gateway = new ScriptedGateway([
      { text: JSON.stringify(invalid), costUsd: 0.002 },
      { error: failure },
    ]);
    const validators = new ValidatorCache({ maxEntries: 10 });
    const attempts: unknown[] = [];
    const onAttempt = (attempt: unknown) => attempts.push(attempt);
    await expect(runAnalyzePipeline(input(), { gateway, validators, onAttempt })).rejects.toBe(failure);
    expect(attempts).toEqual([
      {
        attempt: 1,
        provider: 'scripted',
        model: 'scripted-model',
        promptTokens: 10,
        completionTokens: 5,
        costUsd: 0.002,
      },
    ]);
  });
});
