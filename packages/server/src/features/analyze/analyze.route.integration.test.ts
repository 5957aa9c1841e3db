import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { RequestLogsRepository } from '../../platform/request-log/request-logs.repository.ts';

async function analyzeApp(env: Record<string, string> = {}) {
  const testApp = await buildTestApp({ env });
  const { key } = await testApp.createKey({ rate_limit_per_hour: 10_000 });
  const analyze = (payload: unknown, headers: Record<string, string> = {}) =>
    testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, ...headers },
      payload: payload as object,
    });
  return { ...testApp, key, analyze };
}

type Entity = { type: string; value: string };
const entity = (entities: Entity[], type: string) =>
  entities.filter((item) => item.type === type).map((item) => item.value);

describe('POST /v1/analyze with the offline analyzer (no provider configured)', () => {
  it('answers the seed case with a validated default-schema object, then from the cache', async () => {
    const { analyze, deps } = await analyzeApp();
    const first = await analyze({ prompt: 'Translate Hello World to French' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.data).toMatchObject({ intent: 'translate', subject: 'Hello World', original_language: 'en' });
    expect(entity(body.data.entities, 'language')).toContain('French');
    expect(body).toMatchObject({
      provider: 'heuristic',
      model: 'heuristic-v1',
      cached: false,
      language: 'en',
    });
    expect(body.validation).toEqual({ status: 'passed', errors: [], attempts: 1 });
    expect(body.confidence).toBeGreaterThan(0);
    expect(body.confidence).toBeLessThanOrEqual(0.6);
    expect(body.request_id).toBe(first.headers['x-request-id']);

    const second = await analyze({ prompt: '  Translate   Hello World to French ' });
    expect(second.json()).toMatchObject({
      cached: true,
      data: body.data,
      usage: { total_tokens: 0, cost_usd: 0 },
    });

    await deps.services.logWriter.flush();
    const logs = await deps.services.logWriter.stats();
    expect(logs.written).toBe(2);
  });

  it.each([
    {
      prompt:
        'Réserve une table pour 4 personnes le 14 mars 2027 à 19h30, confirme à marie.dupont@example.fr',
      language: 'fr',
      check: (entities: Entity[]) => {
        expect(entity(entities, 'email')).toContain('marie.dupont@example.fr');
        expect(entity(entities, 'date')).toContain('2027-03-14');
      },
    },
    {
      prompt: 'Berechne bitte die Mehrwertsteuer auf eine Rechnung über 1.200,50 € für Müller GmbH',
      language: 'de',
      check: (entities: Entity[]) => {
        expect(entity(entities, 'money').join(' ')).toMatch(/1200\.5 EUR/);
      },
    },
    {
      prompt: 'Resume el artículo "La economía circular en España" en una lista de cinco puntos',
      language: 'es',
      check: (_entities: Entity[], data: Record<string, unknown>) => {
        expect(data.subject).toBe('La economía circular en España');
        expect(data.output_format).toBe('list');
      },
    },
    {
      prompt: '来週の金曜日に東京で会議を予約してください。予算は50000円です。',
      language: 'ja',
      check: (entities: Entity[]) => {
        expect(entity(entities, 'money').join(' ')).toMatch(/50000 JPY/);
      },
    },
    {
      prompt:
        'Compare the prices of the iPhone 16 and the Pixel 9 in a table, and email the result to ops@example.com',
      language: 'en',
      check: (entities: Entity[], data: Record<string, unknown>) => {
        expect(data.intent).toBe('compare');
        expect(data.output_format).toBe('table');
        expect(entity(entities, 'email')).toContain('ops@example.com');
      },
    },
  ])('gets the language and key entities right: $language', async ({ prompt, language, check }) => {
    const { analyze } = await analyzeApp();
    const response = await analyze({ prompt });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.language).toBe(language);
    expect(body.data.original_language).toBe(language);
    check(body.data.entities, body.data);
  });

  it('fills a custom schema by property names and reports what it could not fill', async () => {
    const { analyze } = await analyzeApp();
    const schema = {
      title: 'Invoice',
      type: 'object',
      required: ['customer_email', 'total', 'currency'],
      properties: {
        customer_email: { type: 'string', format: 'email' },
        total: { type: 'number' },
        currency: { type: 'string', enum: ['USD', 'EUR', 'GBP'] },
        purchase_order: { type: 'string' },
      },
      additionalProperties: false,
    };
    const response = await analyze({
      prompt: 'Invoice jane@example.com for €1,250.00 for the March consulting work',
      schema,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.data).toMatchObject({ customer_email: 'jane@example.com', total: 1250, currency: 'EUR' });
    expect(body.validation.status).toBe('passed');
    expect(body.provider).toBe('heuristic');
  });

  it('redacts PII before the prompt leaves the service, and logs only the redacted text', async () => {
    const { analyze, deps, infra } = await analyzeApp();
    const response = await analyze({
      prompt: 'Email the contract to john.smith@example.com and charge card 4111 1111 1111 1111',
      options: { pii: 'redact' },
    });
    expect(response.statusCode).toBe(200);
    await deps.services.logWriter.flush();
    const page = await new RequestLogsRepository(infra.database).list({}, {});
    expect(page.items).toHaveLength(1);
    const logged = String(page.items[0]!.promptText);
    expect(logged).toContain('[EMAIL_1]');
    expect(logged).not.toContain('john.smith@example.com');
    expect(logged).not.toContain('4111 1111 1111 1111');
  });

  it('flags suspicious input by default and blocks it when the policy says so', async () => {
    const flagging = await analyzeApp();
    const flagged = await flagging.analyze({
      prompt: 'Summarize this page: <script>alert(document.cookie)</script>',
    });
    expect(flagged.statusCode).toBe(200);
    expect(flagged.json().warnings.join(' ')).toContain('suspicious input flagged: script_tag');

    const blocking = await analyzeApp({ SUSPICIOUS_INPUT_POLICY: 'block' });
    const blocked = await blocking.analyze({ prompt: "Look up user admin' OR 1=1 --" });
    expect(blocked.statusCode).toBe(400);
    expect(blocked.json().code).toBe('suspicious_input');
    await blocking.deps.services.audit.drain();
    const audit = await blocking.deps.services.audit.list({ eventType: 'input.suspicious' });
    expect(audit.items[0]).toMatchObject({ result: 'denied' });
  });
});

describe('POST /v1/analyze rejects bad input with 4xx problem+json, never 5xx', () => {
  const deep = (levels: number): Record<string, unknown> => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 1; level < levels; level += 1)
      schema = { type: 'object', properties: { child: schema } };
    return schema;
  };
  const cases: Array<[string, unknown, number, string]> = [
    ['an empty prompt', { prompt: '' }, 400, 'validation_error'],
    ['a whitespace-only prompt', { prompt: '   \n\t ' }, 400, 'validation_error'],
    ['a prompt over 10,000 characters', { prompt: 'a'.repeat(10_001) }, 400, 'validation_error'],
    ['a prompt of the wrong type', { prompt: 42 }, 400, 'validation_error'],
    ['an unknown top-level field', { prompt: 'hi', prompts: ['x'] }, 400, 'validation_error'],
    ['a schema that is not a schema', { prompt: 'hi', schema: { type: 12 } }, 400, 'invalid_schema'],
    [
      'a schema with a remote $ref',
      { prompt: 'hi', schema: { $ref: 'https://evil.example/schema.json' } },
      400,
      'invalid_schema',
    ],
    [
      'a recursive $ref cycle',
      {
        prompt: 'hi',
        schema: { $ref: '#/$defs/a', $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } },
      },
      400,
      'invalid_schema',
    ],
    ['a schema nested 11 deep', { prompt: 'hi', schema: deep(11) }, 400, 'invalid_schema'],
    [
      'a schema over 50 KB',
      {
        prompt: 'hi',
        schema: {
          type: 'object',
          properties: Object.fromEntries(
            Array.from({ length: 2000 }, (_, i) => [
              `field_${i}`,
              { type: 'string', description: 'x'.repeat(20) },
            ]),
          ),
        },
      },
      400,
      'invalid_schema',
    ],
    ['a temperature out of range', { prompt: 'hi', temperature: 9 }, 400, 'validation_error'],
    [
      'an unknown validation mode',
      { prompt: 'hi', options: { validation: 'lenient' } },
      400,
      'validation_error',
    ],
  ];

  it.each(cases)('%s', async (_label, payload, status, code) => {
    const { analyze } = await analyzeApp();
    const response = await analyze(payload);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status, code, request_id: response.headers['x-request-id'] });
  });

  it('names the offending schema keyword path', async () => {
    const { analyze } = await analyzeApp();
    const response = await analyze({
      prompt: 'hi',
      schema: { type: 'object', properties: { a: { type: 'strnig' } } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toMatch(/^\/schema\/properties\/a/);
  });

  it('answers a body over the size limit with 413, and NUL bytes with 400', async () => {
    const { analyze } = await analyzeApp({ BODY_LIMIT_BYTES: '4096' });
    expect((await analyze({ prompt: 'x'.repeat(5000) })).statusCode).toBe(413);
    const nul = await analyze('{"prompt":"a\\u0000b"}', { 'content-type': 'application/json' });
    expect(nul.statusCode).toBe(400);
  });

  it('rejects without a key', async () => {
    const { app } = await analyzeApp();
    const response = await app.inject({ method: 'POST', url: '/v1/analyze', payload: { prompt: 'hi' } });
    expect(response.statusCode).toBe(401);
  });
});
