import { describe, expect, it } from 'vitest';
import { AnswerBookGateway } from '../../../test/support/answer-book-gateway.ts';
import { buildTestApp } from '../../../test/support/build-app.ts';

/** The request that used to take the process down: 187 bytes from any key. */
const minItemsBomb =
  '{"prompt":"list some names","provider":"heuristic","schema":{"type":"object","properties":{"names":{"type":"array","items":{"type":"string"},"minItems":1000000000}},"required":["names"]}}';

const pathologicalSchema = {
  type: 'object',
  properties: { subject: { type: 'string', pattern: '^(a|a)+$' } },
  required: ['subject'],
};
const aaab = `${'a'.repeat(32)}b`;

async function hostileApp(gateway?: AnswerBookGateway) {
  const testApp = await buildTestApp(gateway ? { infra: { gateway } } : {});
  const { key } = await testApp.createKey({ rate_limit_per_hour: 100_000 });
  const post = (payload: string | object) =>
    testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const live = () => testApp.app.inject({ method: 'GET', url: '/v1/health/live' });
  return { ...testApp, post, live };
}

describe('POST /v1/analyze: schemas built to exhaust memory or time', () => {
  it('answers the 187-byte minItems request with a 400 problem, and goes on serving', async () => {
    expect(Buffer.byteLength(minItemsBomb)).toBe(187);
    const { post } = await hostileApp();
    const response = await post(minItemsBomb);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem.code).toBe('schema_answer_too_large');
    expect(problem.request_id).toBeTypeOf('string');
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: '/schema/properties/names', keyword: 'minItems' }),
    ]);
    const after = await post({ prompt: 'list some names', provider: 'heuristic' });
    expect(after.statusCode).toBe(200);
  });

  it.each([
    [
      'minLength 3e8',
      { type: 'object', properties: { s: { type: 'string', minLength: 3e8 } }, required: ['s'] },
    ],
    ['nested minItems 1e5 × 1e5', { type: 'array', minItems: 1e5, items: { type: 'array', minItems: 1e5 } }],
  ])('refuses %s up front', async (_name, schema) => {
    const { post } = await hostileApp();
    const response = await post({ prompt: 'anything at all', provider: 'heuristic', schema });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('schema_answer_too_large');
  });

  it('answers ^(a|a)+$ against a prompt of 32 a’s and a b while serving a concurrent request', async () => {
    const { post, live } = await hostileApp();
    const [analyzed, probe] = await Promise.all([
      post({ prompt: aaab, provider: 'heuristic', schema: pathologicalSchema }),
      live(),
    ]);
    expect(probe.statusCode).toBe(200);
    expect([200, 422]).toContain(analyzed.statusCode);
    // The offline analyzer tested the prompt against the pattern and did not take it.
    if (analyzed.statusCode === 200) expect(analyzed.json().data.subject).not.toBe(aaab);
  });

  it('validates a model answer of 32 a’s and a b against ^(a|a)+$ and refuses it, while serving others', async () => {
    const gateway = new AnswerBookGateway();
    gateway.answer('pathological', JSON.stringify({ subject: aaab }));
    gateway.answer('fine', JSON.stringify({ subject: 'a'.repeat(32) }));
    const { post, live } = await hostileApp(gateway);
    const body = (prompt: string) => ({
      prompt,
      schema: pathologicalSchema,
      options: { max_repair_attempts: 0 },
    });
    const [refused, probe, accepted] = await Promise.all([
      post(body('pathological')),
      live(),
      post(body('fine')),
    ]);
    expect(probe.statusCode).toBe(200);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ path: '/subject', keyword: 'pattern' }),
    ]);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().data).toEqual({ subject: 'a'.repeat(32) });
  });

  it('refuses a pattern RE2 cannot run with a 400 naming it', async () => {
    const { post } = await hostileApp();
    const schema = { type: 'object', properties: { word: { type: 'string', pattern: '^(\\w+) \\1$' } } };
    const response = await post({ prompt: 'say it twice', schema });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('unsupported_pattern');
    expect(problem.errors[0]).toMatchObject({ path: '/schema/properties/word/pattern', keyword: 'pattern' });
    expect(problem.errors[0].message).toContain('"^(\\\\w+) \\\\1$"');
  });
});
