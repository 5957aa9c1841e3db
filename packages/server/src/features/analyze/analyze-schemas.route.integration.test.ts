import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnswerBookGateway } from '../../../test/support/answer-book-gateway.ts';
import { buildTestApp } from '../../../test/support/build-app.ts';

const configDirectory = mkdtempSync(join(tmpdir(), 'sps-schemas-'));
afterAll(() => rmSync(configDirectory, { recursive: true, force: true }));

/** An app whose model answers from an answer book, with a config file for settings that have no variable. */
async function schemaApp(options: { validatorCacheSize?: number; env?: Record<string, string> } = {}) {
  const configFile = join(configDirectory, `config-${options.validatorCacheSize ?? 500}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({ analyze: { validatorCacheSize: options.validatorCacheSize ?? 500 } }),
  );
  const gateway = new AnswerBookGateway();
  const testApp = await buildTestApp({
    env: { SPS_CONFIG_FILE: configFile, ...options.env },
    infra: { gateway },
  });
  const { key } = await testApp.createKey({ rate_limit_per_hour: 100_000 });
  const send = (payload: object | string) =>
    testApp.app.inject({
      method: 'POST',
      url: '/v1/analyze',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  /** One analyze call whose model answers `answer` (any JSON value). */
  const analyze = (prompt: string, schema: unknown, answer: unknown) => {
    gateway.answer(prompt, JSON.stringify(answer));
    const body: Record<string, unknown> = { prompt, options: { max_repair_attempts: 0 } };
    if (schema !== undefined) body.schema = schema;
    return send(body);
  };
  return { ...testApp, analyze, send };
}

const defaultAnswer = {
  intent: 'translate',
  subject: 'Hello World',
  entities: [],
  output_format: 'text',
  original_language: 'en',
};

describe('POST /v1/analyze: a schema cannot disturb other requests', () => {
  it.each(['https://json-schema.org/draft/2020-12/schema', 'http://json-schema.org/draft-07/schema#'])(
    'a schema with $id %s, evicted from the validator cache, leaves default-schema requests working',
    async (id) => {
      const { analyze } = await schemaApp({ validatorCacheSize: 2 });
      expect((await analyze('poison', { $id: id, type: 'object' }, {})).statusCode).toBe(200);
      for (const index of [1, 2, 3]) {
        const response = await analyze(`evict${index}`, { type: 'object', title: `t${index}` }, {});
        expect(response.statusCode).toBe(200);
      }
      const afterwards = await analyze('default', undefined, defaultAnswer);
      expect(afterwards.statusCode).toBe(200);
      expect(afterwards.json().validation.status).toBe('passed');
      const draft07 = await analyze(
        'draft',
        { $schema: 'http://json-schema.org/draft-07/schema#', type: 'number' },
        1,
      );
      expect(draft07.statusCode).toBe(200);
    },
  );

  it('an $async schema is validated synchronously: an invalid answer is a 422, not a pass', async () => {
    const { analyze } = await schemaApp();
    const schema = { $async: true, type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
    const response = await analyze('async', schema, { a: 'not an integer' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([{ path: '/a', keyword: 'type', message: 'must be integer' }]);
  });
});

describe('POST /v1/analyze: schemas as people write them', () => {
  it('accepts boolean schemas, at the top and inside', async () => {
    const { analyze } = await schemaApp();
    expect((await analyze('always', true, { any: 1 })).json().validation.status).toBe('passed');
    expect((await analyze('never', false, 1)).statusCode).toBe(422);
    const inside = { type: 'object', properties: { anything: true, nothing: false } };
    expect((await analyze('inside', inside, { anything: [1] })).statusCode).toBe(200);
    expect((await analyze('inside2', inside, { nothing: 1 })).statusCode).toBe(422);
  });

  it('accepts root recursion ($ref "#") without an $id', async () => {
    const { analyze } = await schemaApp();
    const tree = {
      type: 'object',
      properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
      required: ['name'],
    };
    const response = await analyze('tree', tree, { name: 'a', children: [{ name: 'b' }] });
    expect(response.statusCode).toBe(200);
    expect((await analyze('tree2', tree, { name: 'a', children: [{}] })).json().errors).toEqual([
      { path: '/children/0/name', keyword: 'required', message: 'is required but missing' },
    ]);
  });

  it('validates draft-04 schemas with draft-04 semantics', async () => {
    const { analyze } = await schemaApp();
    const schema = {
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'http://example.com/price',
      type: 'object',
      properties: { price: { type: 'number', minimum: 0, exclusiveMinimum: true } },
      required: ['price'],
    };
    expect((await analyze('price1', schema, { price: 1 })).statusCode).toBe(200);
    expect((await analyze('price0', schema, { price: 0 })).statusCode).toBe(422);
  });

  it('supports a property called "constructor", and says clearly why "__proto__" is refused', async () => {
    const { analyze, send } = await schemaApp();
    const schema = {
      type: 'object',
      properties: { constructor: { type: 'string' } },
      required: ['constructor'],
    };
    expect((await analyze('ctor', schema, { constructor: 'Ada' })).statusCode).toBe(200);
    expect((await analyze('ctor2', schema, {})).json().errors).toEqual([
      { path: '/constructor', keyword: 'required', message: 'is required but missing' },
    ]);
    const refused = await send(
      '{"prompt":"p","schema":{"type":"object","properties":{"__proto__":{"type":"string"}}}}',
    );
    expect(refused.statusCode).toBe(400);
    const problem = refused.json();
    expect(problem.code).toBe('bad_request');
    expect(problem.detail).toContain('"__proto__" at /schema/properties/__proto__');
    expect(problem.detail).toContain('prototype poisoning');
    expect(problem.errors).toEqual([
      {
        path: '/schema/properties/__proto__',
        keyword: 'propertyName',
        message: 'property name "__proto__" is not accepted',
      },
    ]);
  });

  it('applies the configured schema limits and names the setting in the error', async () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 1; level < 12; level += 1) deep = { type: 'object', properties: { child: deep } };
    const strict = await schemaApp();
    const refused = await strict.analyze('deep', deep, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toContain(
      'must not exceed 10 levels (MAX_SCHEMA_DEPTH / limits.maxSchemaDepth',
    );
    const roomy = await schemaApp({ env: { MAX_SCHEMA_DEPTH: '12' } });
    expect((await roomy.analyze('deep', deep, {})).statusCode).toBe(200);
  });
});
