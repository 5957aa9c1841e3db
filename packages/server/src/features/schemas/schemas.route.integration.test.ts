import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { createTestDatabase, describeEachDialect } from '../../../test/support/test-databases.ts';
import { schemaLibrary } from './library/seed-library.ts';

const invoice = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['invoice_number', 'total'],
  properties: { invoice_number: { type: 'string', minLength: 3 }, total: { type: 'number', minimum: 0 } },
};

/** An app with an OpenAI and an Anthropic provider configured (never called: registration only compiles). */
async function registryApp() {
  const testApp = await buildTestApp({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
    },
  });
  const { key } = await testApp.createKey({ rate_limit_per_hour: 100_000 });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    testApp.app.inject({
      method,
      url,
      headers: { 'x-api-key': key },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return { ...testApp, call };
}

describe('/v1/schemas', () => {
  it('registers a schema, compiles it for every configured target, and finds it by id and by name', async () => {
    const { call } = await registryApp();
    const created = await call('POST', '/v1/schemas', {
      name: 'acme-invoice',
      description: 'Supplier invoices',
      schema: invoice,
      tags: ['finance'],
      examples: [{ prompt: 'INV-1 over 10', output: { invoice_number: 'INV-1', total: 10 } }],
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'acme-invoice',
      visibility: 'private',
      latest_version: '1.0.0',
      library: false,
    });
    const targets = Object.fromEntries(
      body.latest.preflight.map((entry: { target: string }) => [entry.target, entry]),
    );
    expect(Object.keys(targets).sort()).toEqual(['anthropic', 'openai']);
    expect(targets.openai).toMatchObject({
      compiles: true,
      mode: 'strict-json-schema',
      providers: ['openai'],
    });
    // OpenAI's strict mode cannot express `minLength`: the user learns it now, not at the first call.
    expect(targets.openai.warnings.join('\n')).toMatch(/minLength/);

    const byId = await call('GET', `/v1/schemas/${body.id}`);
    const byName = await call('GET', '/v1/schemas/acme-invoice');
    expect(byId.statusCode).toBe(200);
    expect(byName.json()).toEqual(byId.json());
    expect(byId.json().latest.schema).toEqual(invoice);
  });

  it('reports a fallback to JSON mode for a schema strict mode cannot take', async () => {
    const { call } = await registryApp();
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] };
    const created = await call('POST', '/v1/schemas', { name: 'pair', schema: tuple });
    expect(created.statusCode).toBe(201);
    const openai = created
      .json()
      .latest.preflight.find((entry: { target: string }) => entry.target === 'openai');
    expect(openai).toMatchObject({ compiles: true, mode: 'json-mode' });
    expect(openai.warnings.join('\n')).toMatch(/JSON mode/);
  });

  it('refuses what the inline guard refuses, examples that do not validate, and a taken name', async () => {
    const { call } = await registryApp();
    const remote = await call('POST', '/v1/schemas', {
      name: 'remote',
      schema: { $ref: 'https://example.com/s.json' },
    });
    expect(remote.statusCode).toBe(400);
    expect(remote.json().code).toBe('invalid_schema');
    const badExample = await call('POST', '/v1/schemas', {
      name: 'bad-example',
      schema: invoice,
      examples: [{ prompt: 'p', output: { invoice_number: 7 } }],
    });
    expect(badExample.statusCode).toBe(400);
    const paths = badExample.json().errors.map((error: { path: string }) => error.path);
    expect(paths).toContain('/examples/0/output/invoice_number');
    expect(paths.every((path: string) => path.startsWith('/examples/0/output'))).toBe(true);
    expect((await call('POST', '/v1/schemas', { name: 'taken', schema: invoice })).statusCode).toBe(201);
    const taken = await call('POST', '/v1/schemas', { name: 'taken', schema: invoice });
    expect(taken.statusCode).toBe(409);
    expect(taken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await call('GET', '/v1/schemas/nothing-here')).statusCode).toBe(404);
    const idLike = await call('POST', '/v1/schemas', {
      name: '0190a5c4-7b1e-7c3d-9f00-5a1b2c3d4e5f',
      schema: invoice,
    });
    expect(idLike.statusCode).toBe(400);
    expect(idLike.json().errors[0].path).toBe('/name');
  });

  it('lists the seeded library, and searches by text and tag', async () => {
    const { call } = await registryApp();
    await call('POST', '/v1/schemas', {
      name: 'my-thing',
      description: 'Quarterly widgets',
      schema: invoice,
      tags: ['widgets'],
    });
    const library = await call('GET', '/v1/schemas?library=true&limit=200');
    expect(library.statusCode).toBe(200);
    const names = library.json().items.map((item: { name: string }) => item.name);
    expect(names.sort()).toEqual(schemaLibrary.map((entry) => entry.name).sort());
    expect(
      library
        .json()
        .items.every(
          (item: { owner: null; visibility: string }) => item.owner === null && item.visibility === 'public',
        ),
    ).toBe(true);
    const byText = await call('GET', '/v1/schemas?q=widgets');
    expect(byText.json().items.map((item: { name: string }) => item.name)).toEqual(['my-thing']);
    const byTag = await call('GET', '/v1/schemas?tag=widgets&owner=me');
    expect(byTag.json().items.map((item: { name: string }) => item.name)).toEqual(['my-thing']);
    expect((await call('GET', `/v1/schemas?owner=${'-'.repeat(36)}`)).statusCode).toBe(400);
    const page = await call('GET', '/v1/schemas?limit=2');
    expect(page.json().items).toHaveLength(2);
    expect(page.json().next_cursor).toEqual(expect.any(String));
  });

  it('publishes versions with a proposed semantic version, which the caller may override', async () => {
    const { call } = await registryApp();
    await call('POST', '/v1/schemas', { name: 'inv', schema: invoice });
    const v2 = {
      ...invoice,
      required: [...invoice.required, 'currency'],
      properties: { ...invoice.properties, currency: { type: 'string' } },
    };
    const dry = await call('POST', '/v1/schemas/inv/versions', { schema: v2, dry_run: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ version: '2.0.0', proposed_version: '2.0.0', published: false });
    expect(dry.json().changes).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 'major', path: '/required' })]),
    );
    expect((await call('GET', '/v1/schemas/inv')).json().latest_version).toBe('1.0.0');

    const lower = await call('POST', '/v1/schemas/inv/versions', { schema: v2, version: '0.9.0' });
    expect(lower.statusCode).toBe(400);
    const published = await call('POST', '/v1/schemas/inv/versions', { schema: v2, version: '3.0.0' });
    expect(published.statusCode).toBe(201);
    expect(published.json()).toMatchObject({ version: '3.0.0', proposed_version: '2.0.0', published: true });
    const same = await call('POST', '/v1/schemas/inv/versions', { schema: v2 });
    expect(same.statusCode).toBe(409);
    const widened = await call('POST', '/v1/schemas/inv/versions', {
      schema: { ...v2, required: ['total'] },
    });
    expect(widened.json()).toMatchObject({ version: '3.1.0', published: true });

    const versions = await call('GET', '/v1/schemas/inv/versions');
    expect(versions.json().items.map((item: { version: string }) => item.version)).toEqual([
      '3.1.0',
      '3.0.0',
      '1.0.0',
    ]);
    const first = await call('GET', '/v1/schemas/inv/versions/1.0.0');
    expect(first.json().schema).toEqual(invoice);
    expect((await call('GET', '/v1/schemas/inv/versions/latest')).json().version).toBe('3.1.0');
    expect((await call('GET', '/v1/schemas/inv/versions/9.9.9')).statusCode).toBe(404);
  });

  it('updates metadata, and a delete frees the name while the versions stay readable by id', async () => {
    const { call } = await registryApp();
    const { id } = (await call('POST', '/v1/schemas', { name: 'short-lived', schema: invoice })).json();
    const updated = await call('PUT', `/v1/schemas/${id}`, { visibility: 'public', tags: ['ops'] });
    expect(updated.json()).toMatchObject({ visibility: 'public', tags: ['ops'], latest_version: '1.0.0' });
    const deleted = await call('DELETE', '/v1/schemas/short-lived');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().deleted_at).toEqual(expect.any(String));
    expect((await call('GET', '/v1/schemas/short-lived')).statusCode).toBe(404);
    expect((await call('GET', `/v1/schemas/${id}/versions/1.0.0`)).statusCode).toBe(200);
    expect((await call('PUT', `/v1/schemas/${id}`, { tags: [] })).statusCode).toBe(404);
    expect((await call('POST', '/v1/schemas', { name: 'short-lived', schema: invoice })).statusCode).toBe(
      201,
    );
  });
});

describeEachDialect('the common schema library at start', (dialect) => {
  it('is seeded on a fresh start and found complete on a restart, without duplicates', async () => {
    const database = await createTestDatabase(dialect);
    onTestFinished(() => database.destroy());
    const libraryNames = async () => {
      const testApp = await buildTestApp({ infra: { database: database.database } });
      const { key } = await testApp.createKey({ scopes: ['admin'] });
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/v1/schemas?library=true&include_deleted=true&limit=200',
        headers: { 'x-api-key': key },
      });
      return response
        .json()
        .items.map((item: { name: string; latest_version: string }) => `${item.name}@${item.latest_version}`);
    };
    const fresh = await libraryNames();
    expect(fresh.sort()).toEqual(schemaLibrary.map((entry) => `${entry.name}@1.0.0`).sort());
    const restarted = await libraryNames();
    expect(restarted.sort()).toEqual(fresh);
  });
});
