import { describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/build-app.ts';

const invoice = {
  name: 'my-invoice',
  description: 'Invoice fields',
  tags: ['finance'],
  template: 'Extract the fields of this {{ kind }}:\n{{ text }}',
  parameters: [
    { name: 'text', type: 'string', required: true },
    { name: 'kind', type: 'string', default: 'invoice' },
  ],
  defaults: { temperature: 0 },
};

async function setup() {
  const testApp = await buildTestApp();
  const alice = await testApp.createKey({ name: 'alice' });
  const bob = await testApp.createKey({ name: 'bob' });
  const admin = await testApp.createKey({ name: 'admin', scopes: ['admin'] });
  const call = (
    key: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) =>
    testApp.app.inject({
      method,
      url,
      headers: { 'x-api-key': key },
      ...(payload !== undefined && { payload }),
    });
  return { testApp, alice, bob, admin, call };
}

function expectProblem(
  response: Awaited<ReturnType<TestApp['app']['inject']>>,
  status: number,
  code: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, request_id: expect.any(String) });
}

describe('/v1/templates', () => {
  it('creates a template, reads it by id and by name, and lists it for its owner', async () => {
    const { alice, call } = await setup();
    const created = await call(alice.key, 'POST', '/v1/templates', invoice);
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'my-invoice',
      visibility: 'private',
      owner: alice.id,
      library: false,
      latest_version: '1.0.0',
      latest: { version: '1.0.0', template: invoice.template, parameters: invoice.parameters, schema: null },
    });
    expect((await call(alice.key, 'GET', `/v1/templates/${body.id}`)).json()).toEqual(body);
    expect((await call(alice.key, 'GET', '/v1/templates/my-invoice')).json()).toEqual(body);
    const mine = (await call(alice.key, 'GET', '/v1/templates?owner=me')).json();
    expect(mine.items.map((item: { id: string }) => item.id)).toEqual([body.id]);
    expectProblem(await call(alice.key, 'POST', '/v1/templates', invoice), 409, 'conflict');
  });

  it('refuses templates that are not strict Liquid or read undeclared variables, with the reason', async () => {
    const { alice, call } = await setup();
    const cases = [
      { template: 'Hello {{ name }', parameters: [{ name: 'name' }] },
      { template: 'Hello {{ name }}', parameters: [] },
      { template: 'Hello {{ name | no_such_filter }}', parameters: [{ name: 'name' }] },
      { template: '{% include "secrets.txt" %}', parameters: [] },
      { template: '{% render "other" %}', parameters: [] },
      { template: 'x {{ n }}', parameters: [{ name: 'n', type: 'integer', default: 'three' }] },
      { template: 'x {{ n }}', parameters: [{ name: 'n' }, { name: 'n' }] },
    ];
    for (const [index, content] of cases.entries()) {
      const response = await call(alice.key, 'POST', '/v1/templates', { name: `bad-${index}`, ...content });
      expectProblem(response, 400, 'validation_error');
      expect(response.json().errors.length, response.body).toBeGreaterThan(0);
    }
    const undeclared = await call(alice.key, 'POST', '/v1/templates', {
      name: 'u',
      template: 'Hi {{ who }}',
    });
    expect(undeclared.json().errors).toContainEqual(
      expect.objectContaining({ path: '/body/template', message: expect.stringContaining('"who"') }),
    );
  });

  it('renders with defaults and reports every bad parameter', async () => {
    const { alice, call } = await setup();
    await call(alice.key, 'POST', '/v1/templates', invoice);
    const rendered = await call(alice.key, 'POST', '/v1/templates/my-invoice/render', {
      parameters: { text: 'ACME, 42 EUR' },
    });
    expect(rendered.statusCode, rendered.body).toBe(200);
    expect(rendered.json()).toMatchObject({
      template: { name: 'my-invoice', version: '1.0.0' },
      prompt: 'Extract the fields of this invoice:\nACME, 42 EUR',
      schema: null,
      defaults: { temperature: 0 },
    });
    const bad = await call(alice.key, 'POST', '/v1/templates/my-invoice/render', {
      parameters: { kind: 7, extra: true },
    });
    expectProblem(bad, 400, 'validation_error');
    const paths = bad
      .json()
      .errors.map((error: { path: string }) => error.path)
      .sort();
    expect(paths).toEqual(['/body/parameters/extra', '/body/parameters/kind', '/body/parameters/text']);
    expectProblem(
      await call(alice.key, 'POST', '/v1/templates/my-invoice@9.0.0/render', {}),
      404,
      'not_found',
    );
  });

  it('publishes a new version on a content change, proposing major or minor, and keeps old ones', async () => {
    const { alice, call } = await setup();
    const { id } = (await call(alice.key, 'POST', '/v1/templates', invoice)).json();
    const metadata = await call(alice.key, 'PUT', `/v1/templates/${id}`, {
      description: 'changed',
      tags: ['x'],
    });
    expect(metadata.json()).toMatchObject({ description: 'changed', tags: ['x'], latest_version: '1.0.0' });
    const minor = await call(alice.key, 'PUT', `/v1/templates/${id}`, {
      template: 'Fields of the {{ kind }}: {{ text }}',
    });
    expect(minor.json().latest_version).toBe('1.1.0');
    const major = await call(alice.key, 'PUT', `/v1/templates/${id}`, {
      template: 'Fields of the {{ kind }} in {{ lang }}: {{ text }}',
      parameters: [...invoice.parameters, { name: 'lang', type: 'string', required: true }],
    });
    expect(major.json().latest_version).toBe('2.0.0');
    const chosen = await call(alice.key, 'PUT', `/v1/templates/${id}`, {
      defaults: { temperature: 0.5 },
      version: '2.0.7',
    });
    expect(chosen.json().latest_version).toBe('2.0.7');
    expectProblem(
      await call(alice.key, 'PUT', `/v1/templates/${id}`, { defaults: {}, version: '1.5.0' }),
      409,
      'conflict',
    );

    const versions = (await call(alice.key, 'GET', `/v1/templates/${id}/versions`)).json();
    expect(versions.items.map((item: { version: string }) => item.version)).toEqual([
      '2.0.7',
      '2.0.0',
      '1.1.0',
      '1.0.0',
    ]);
    const old = await call(alice.key, 'POST', '/v1/templates/my-invoice@1.0.0/render', {
      parameters: { text: 'T' },
    });
    expect(old.json()).toMatchObject({
      prompt: 'Extract the fields of this invoice:\nT',
      template: { version: '1.0.0' },
    });
    const pinned = (await call(alice.key, 'GET', `/v1/templates/${id}/versions/1.1.0`)).json();
    expect(pinned.template).toBe('Fields of the {{ kind }}: {{ text }}');
  });

  it('hides private templates from other keys and lets only the owner or an admin change one', async () => {
    const { alice, bob, admin, call } = await setup();
    const { id } = (await call(alice.key, 'POST', '/v1/templates', invoice)).json();
    for (const [method, url] of [
      ['GET', `/v1/templates/${id}`],
      ['GET', '/v1/templates/my-invoice'],
      ['GET', `/v1/templates/${id}/versions`],
      ['PUT', `/v1/templates/${id}`],
      ['DELETE', `/v1/templates/${id}`],
      ['POST', `/v1/templates/${id}/render`],
    ] as const) {
      expectProblem(
        await call(bob.key, method, url, method === 'GET' || method === 'DELETE' ? undefined : {}),
        404,
        'not_found',
      );
    }
    expect(
      (await call(bob.key, 'GET', '/v1/templates?search=invoice'))
        .json()
        .items.map((t: { name: string }) => t.name),
    ).not.toContain('my-invoice');

    await call(alice.key, 'PUT', `/v1/templates/${id}`, { visibility: 'public' });
    expect((await call(bob.key, 'GET', `/v1/templates/${id}`)).statusCode).toBe(200);
    const render = await call(bob.key, 'POST', `/v1/templates/${id}/render`, { parameters: { text: 'x' } });
    expect(render.statusCode).toBe(200);
    expectProblem(
      await call(bob.key, 'PUT', `/v1/templates/${id}`, { description: 'mine now' }),
      403,
      'forbidden',
    );
    expectProblem(await call(bob.key, 'DELETE', `/v1/templates/${id}`), 403, 'forbidden');

    const library = (await call(bob.key, 'GET', '/v1/templates?owner=library&limit=1')).json().items[0];
    expectProblem(
      await call(bob.key, 'PUT', `/v1/templates/${library.id}`, { description: 'x' }),
      403,
      'forbidden',
    );

    expect(
      (await call(admin.key, 'PUT', `/v1/templates/${id}`, { description: 'by admin' })).statusCode,
    ).toBe(200);
    const deleted = await call(alice.key, 'DELETE', `/v1/templates/${id}`);
    expect(deleted.statusCode).toBe(200);
    expectProblem(await call(alice.key, 'GET', `/v1/templates/${id}`), 404, 'not_found');
    expectProblem(
      await call(alice.key, 'POST', `/v1/templates/${id}/render`, { parameters: { text: 'x' } }),
      404,
      'not_found',
    );
  });

  it('stops a render that runs too long or renders too much, and answers the next request normally', async () => {
    const { alice, call } = await setup();
    const loop = await call(alice.key, 'POST', '/v1/templates', {
      name: 'loop',
      template: '{% for i in (1..n) %}{% for j in (1..n) %}{{ i }}{% endfor %}{% endfor %}',
      parameters: [{ name: 'n', type: 'integer', required: true }],
    });
    expect(loop.statusCode, loop.body).toBe(201);
    const huge = await call(alice.key, 'POST', '/v1/templates/loop/render', { parameters: { n: 1_000_000 } });
    expectProblem(huge, 400, 'validation_error');
    const small = await call(alice.key, 'POST', '/v1/templates/loop/render', { parameters: { n: 2 } });
    expect(small.json().prompt).toBe('1122');
  });
});

describe('the template library', () => {
  it('is seeded public and read-only, once, however often the service starts on the database', async () => {
    const first = await buildTestApp();
    const key = await first.createKey();
    const list = async (testApp: TestApp) =>
      (
        await testApp.app.inject({
          method: 'GET',
          url: '/v1/templates?owner=library&limit=200',
          headers: { 'x-api-key': key.key },
        })
      ).json().items as Array<{ name: string; visibility: string; latest_version: string }>;
    const seeded = await list(first);
    expect(seeded.map((item) => item.name)).toEqual(
      expect.arrayContaining(['invoice-extraction', 'support-triage', 'translation']),
    );
    expect(seeded.every((item) => item.visibility === 'public' && item.latest_version === '1.0.0')).toBe(
      true,
    );
    const again = await buildTestApp({ infra: { database: first.infra.database } });
    expect(await list(again)).toEqual(seeded);
  });
});

describe('template changes in the audit log', () => {
  it('records who created, changed and deleted a template, and which version a change published', async () => {
    const { testApp, alice, call } = await setup();
    const created = await call(alice.key, 'POST', '/v1/templates', invoice);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const changed = await call(alice.key, 'PUT', `/v1/templates/${id}`, {
      template: 'Extract every field of this {{ kind }}:\n{{ text }}',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await call(alice.key, 'DELETE', `/v1/templates/${id}`)).statusCode).toBe(200);
    await testApp.deps.services.audit.drain();
    const entries = (await testApp.deps.services.audit.list({ actorKeyId: alice.id })).items
      .filter((entry) => entry.resource === `template:${id}`)
      .reverse();
    expect(entries.map((entry) => entry.eventType)).toEqual([
      'template.created',
      'template.updated',
      'template.deleted',
    ]);
    expect(entries[1]!.details).toMatchObject({ fields: ['template'], version: expect.any(String) });
  });
});
