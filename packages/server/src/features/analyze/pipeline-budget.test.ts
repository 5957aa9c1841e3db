import { defaultOutputSchema } from '@structured-prompt/contracts';
import type { GenerateRequest } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { ScriptedGateway } from '../../../test/support/scripted-gateway.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import { runAnalyzePipeline } from './analyze-pipeline.ts';
import { ValidatorCache } from './validator-cache.ts';

const valid = {
  intent: 'translate',
  subject: 'Hello World',
  entities: [{ type: 'language', value: 'French' }],
  output_format: 'text',
  original_language: 'en',
};

/** An estimate that grows with what is sent, as a re-ask carries the previous answer and its errors. */
const estimateOf = (request: GenerateRequest) =>
  request.messages.reduce((total, message) => total + message.content.length, 0) / 1e6;

function pipeline(answers: string[], allow: (attempt: number) => boolean) {
  const gateway = new ScriptedGateway(
    answers.map((text) => ({ text, provider: 'openai', model: 'gpt-x' })),
    { estimate: estimateOf },
  );
  const reservations: Array<{ usd: number; attempt: number; callsBefore: number }> = [];
  const reserveAttempt = async (usd: number, attempt: number) => {
    reservations.push({ usd, attempt, callsBefore: gateway.calls.length });
    return allow(attempt);
  };
  const run = runAnalyzePipeline(
    {
      prompt: 'Translate Hello World to French',
      schema: defaultOutputSchema,
      schemaHash: schemaHash(defaultOutputSchema),
      schemaName: 'default',
      validation: 'strict',
      maxRepairAttempts: 2,
      signal: new AbortController().signal,
    },
    { gateway, validators: new ValidatorCache({ maxEntries: 10 }), reserveAttempt },
  );
  return { gateway, reservations, run };
}

describe('budget reservations per attempt', () => {
  it('reserves every attempt, re-asks included, before it is made and with the estimate of what is sent', async () => {
    const { gateway, reservations, run } = pipeline(
      ['not json', '{"intent":', JSON.stringify(valid)],
      () => true,
    );
    const result = await run;
    expect(result.validation.attempts).toBe(3);
    expect(reservations.map(({ attempt }) => attempt)).toEqual([1, 2, 3]);
    expect(reservations.map(({ callsBefore }) => callsBefore)).toEqual([0, 1, 2]);
    for (const [index, reservation] of reservations.entries()) {
      expect(reservation.usd).toBe(estimateOf(gateway.calls[index]!.request));
    }
  });

  it('stops re-asking, with a warning, when the budget has no room for the next attempt', async () => {
    const { gateway, run } = pipeline(['not json', JSON.stringify(valid)], (attempt) => attempt === 1);
    const failure = await run.then(
      () => undefined,
      (error: unknown) => error as { extensions: { warnings: string[]; attempts: number } },
    );
    expect(gateway.calls).toHaveLength(1);
    expect(failure?.extensions.attempts).toBe(1);
    expect(failure?.extensions.warnings.join(' ')).toContain('budget has no room');
  });
});
