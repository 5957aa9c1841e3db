import { AnalyzeResponse } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import type { ApiKeyRecord } from '../api-keys/api-keys.repository.ts';
import { answeredLogEntry, failedLogEntry, requestParams } from './analyze-log-entry.ts';

const context = {
  key: { id: '0190a000-0000-7000-8000-00000000000a' } as ApiKeyRecord,
  requestId: 'req-1',
  ip: '203.0.113.9',
};
const example = (AnalyzeResponse as { examples?: AnalyzeResponse[] }).examples![0]!;

describe('the request log entry of an analyze request', () => {
  it('names the defaults when the request gives none', () => {
    expect(requestParams({ prompt: 'p' }, [])).toEqual({
      provider: 'auto',
      model: null,
      temperature: null,
      max_tokens: null,
      options: {},
      schema: 'default',
      failed_attempts: [],
    });
    expect(requestParams({ prompt: 'p' })).not.toHaveProperty('failed_attempts');
  });

  it('records what was asked for, and the answer with what it cost, never the raw prompt', () => {
    const body = {
      prompt: '  Translate   Hello World to French ',
      provider: 'openai',
      model: 'gpt-4o-mini',
      schema: { type: 'object' },
      options: { pii: 'redact' as const },
    };
    const response: AnalyzeResponse = {
      ...example,
      failed_attempts: [{ provider: 'anthropic', model: 'claude', reason: 'timeout' }],
    };
    const outcome = {
      value: { calls: [] },
      usage: { totalTokens: 0, costUsd: 0 },
      cached: false,
      level: null,
      coalesced: false,
      storedAt: null,
    } as unknown as Parameters<typeof answeredLogEntry>[4]['outcome'];
    const extras = { schemaHash: 'h', cacheKey: 'sps:resp:inline:h', outcome, storePrompt: true };
    const entry = answeredLogEntry(body, context, 'Translate Hello World to French', response, extras);
    expect(entry).toMatchObject({
      requestId: 'req-1',
      apiKeyId: context.key.id,
      promptText: 'Translate Hello World to French',
      promptLength: body.prompt.length,
      requestParams: {
        provider: 'openai',
        model: 'gpt-4o-mini',
        options: { pii: 'redact' },
        schema: 'inline',
        failed_attempts: response.failed_attempts,
      },
      responseData: response.data,
      validationStatus: response.validation.status,
      providerUsed: response.provider,
      processingTimeMs: response.timing.total_ms,
      tokensUsed: response.usage.total_tokens,
      costUsd: response.usage.cost_usd,
      cached: response.cached,
      requestOptions: { provider: 'openai', model: 'gpt-4o-mini', schema: body.schema },
      schemaHash: 'h',
      cacheKey: 'sps:resp:inline:h',
    });
    const call = {
      attempt: 1,
      provider: 'openai',
      model: 'gpt-4o-mini',
      promptTokens: 5,
      completionTokens: 7,
      costUsd: 0.01,
    };
    const generated = { ...outcome, value: { calls: [call] } } as typeof outcome;
    const paid = answeredLogEntry(body, context, 'Translate', response, { ...extras, outcome: generated });
    expect((paid.attempts as { calls: unknown[] }).calls).toEqual([
      {
        attempt: 1,
        provider: 'openai',
        model: 'gpt-4o-mini',
        reason: 'initial',
        prompt_tokens: 5,
        completion_tokens: 7,
        cost_usd: 0.01,
      },
    ]);
    // A request that waited on an identical one in flight paid for no call.
    const waited = answeredLogEntry(body, context, 'Translate', response, {
      ...extras,
      outcome: { ...generated, coalesced: true },
    });
    expect((waited.attempts as { calls: unknown[] }).calls).toEqual([]);
    const withheld = answeredLogEntry(body, context, 'Translate', response, {
      ...extras,
      storePrompt: false,
    });
    expect(withheld.promptText).toBeNull();
    expect(withheld.responseData).toBeNull();
  });

  it('records a failure by its code, with the usage a 422 reports and no prompt text', () => {
    const failure = new AppError('output_validation_failed', 'did not validate', {
      extensions: { usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, cost_usd: 0.01 } },
    });
    expect(failedLogEntry({ prompt: 'p' }, context, failure, 42)).toMatchObject({
      promptText: null,
      promptLength: 1,
      validationStatus: 'failed',
      tokensUsed: 12,
      promptTokens: 5,
      completionTokens: 7,
      costUsd: 0.01,
      processingTimeMs: 42,
      cached: false,
      errorMessage: 'output_validation_failed: did not validate',
    });
    expect(failedLogEntry({ prompt: 'p' }, context, new Error('secret detail'), 1)).toMatchObject({
      validationStatus: 'error',
      errorMessage: 'internal_error',
      tokensUsed: 0,
    });
  });
});
