import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';
import { RequestLogsRepository } from '../../platform/request-log/request-logs.repository.ts';
import { TemplateExpander } from './template-expansion.ts';

const greeting = {
  name: 'greeting',
  template: 'Translate {{ phrase }} to {{ language }}',
  parameters: [
    { name: 'phrase', type: 'string', required: true },
    { name: 'language', type: 'string', default: 'French' },
  ],
  defaults: { temperature: 0.3, provider: 'heuristic' },
};

async function setup() {
  const testApp = await buildTestApp();
  const { key, id } = await testApp.createKey({ rate_limit_per_hour: 10_000 });
  const call = (method: 'POST' | 'PUT', url: string, payload: object) =>
    testApp.app.inject({ method, url, headers: { 'x-api-key': key }, payload });
  const analyze = (payload: object) => call('POST', '/v1/analyze', payload);
  const logOf = async (requestId: string) => {
    await testApp.deps.services.logWriter.flush();
    return new RequestLogsRepository(testApp.infra.database).getByRequestId(requestId);
  };
  return { testApp, keyId: id, call, analyze, logOf };
}

describe('POST /v1/analyze with template_id', () => {
  it('renders the template, names the version used, and caches per version and rendered text', async () => {
    const { call, analyze } = await setup();
    const created = await call('POST', '/v1/templates', greeting);
    expect(created.statusCode, created.body).toBe(201);
    const direct = (await analyze({ prompt: 'Translate Hello World to French' })).json();

    const first = await analyze({ template_id: 'greeting', parameters: { phrase: 'Hello World' } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      cached: false,
      template: { id: created.json().id, name: 'greeting', version: '1.0.0' },
      data: direct.data,
    });
    const again = await analyze({ template_id: 'greeting', parameters: { phrase: 'Hello World' } });
    expect(again.json()).toMatchObject({ cached: true, template: { version: '1.0.0' } });
    // Another rendered text is another answer.
    const other = await analyze({ template_id: 'greeting', parameters: { phrase: 'Good night' } });
    expect(other.json().cached).toBe(false);

    // A new version with the same text for these parameters still gets its own answer.
    const published = await call('PUT', '/v1/templates/greeting', { defaults: { temperature: 0.3 } });
    expect(published.json().latest_version).toBe('1.1.0');
    const latest = await analyze({ template_id: 'greeting', parameters: { phrase: 'Hello World' } });
    expect(latest.json()).toMatchObject({ cached: false, template: { version: '1.1.0' } });
    const pinned = await analyze({ template_id: 'greeting@1.0.0', parameters: { phrase: 'Hello World' } });
    expect(pinned.json()).toMatchObject({ cached: true, template: { version: '1.0.0' } });
  });

  it('refuses unknown templates, bad parameters and ambiguous requests with problems', async () => {
    const { call, analyze } = await setup();
    await call('POST', '/v1/templates', greeting);
    const cases: Array<[object, number, string]> = [
      [{ template_id: 'no-such-template' }, 404, 'not_found'],
      [{ template_id: 'greeting@7.0.0', parameters: { phrase: 'x' } }, 404, 'not_found'],
      [{ template_id: 'greeting', parameters: { language: 3 } }, 400, 'validation_error'],
      [{ template_id: 'greeting', prompt: 'both', parameters: { phrase: 'x' } }, 400, 'validation_error'],
      [{ parameters: { phrase: 'x' } }, 400, 'validation_error'],
      [{}, 400, 'validation_error'],
    ];
    for (const [payload, status, code] of cases) {
      const response = await analyze(payload);
      expect(response.statusCode, `${JSON.stringify(payload)}: ${response.body}`).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code, request_id: expect.any(String) });
    }
    const bad = (await analyze({ template_id: 'greeting', parameters: { language: 3 } })).json();
    expect(bad.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '/body/parameters/language',
      '/body/parameters/phrase',
    ]);
  });

  it('applies template defaults under the explicit options and logs the template version', async () => {
    const { call, analyze, logOf } = await setup();
    const { id } = (await call('POST', '/v1/templates', greeting)).json();
    const withDefaults = await analyze({ template_id: 'greeting', parameters: { phrase: 'Hi' } });
    const log = await logOf(withDefaults.json().request_id);
    expect(log?.requestParams).toMatchObject({
      temperature: 0.3,
      provider: 'heuristic',
      template: { id, name: 'greeting', version: '1.0.0' },
    });
    expect(log?.promptText).toBe('Translate Hi to French');

    const explicit = await analyze({ template_id: 'greeting', parameters: { phrase: 'Hi' }, temperature: 1 });
    expect((await logOf(explicit.json().request_id))?.requestParams).toMatchObject({ temperature: 1 });

    const refused = await analyze({ template_id: 'greeting' });
    const refusedLog = await logOf(refused.json().request_id);
    expect(refusedLog).toMatchObject({
      validationStatus: 'error',
      requestParams: { template: { ref: 'greeting' } },
    });
  });

  it('uses the linked schema through the resolver, and answers 404 when the registry does not know it', async () => {
    const { call, analyze, testApp, keyId } = await setup();
    const linked = await call('POST', '/v1/templates', {
      ...greeting,
      name: 'linked',
      schema: { id: 'greeting-schema', version: '1.0.0' },
    });
    expect(linked.statusCode, linked.body).toBe(201);
    const unresolved = await analyze({ template_id: 'linked', parameters: { phrase: 'Hi' } });
    expect(unresolved.statusCode).toBe(404);
    expect(unresolved.json().code).toBe('not_found');
    // A schema given with the request wins over the linked one.
    const inline = await analyze({
      template_id: 'linked',
      parameters: { phrase: 'Hi' },
      schema: { type: 'object' },
    });
    expect(inline.statusCode, inline.body).toBe(200);
    // Once the schema is registered, the template's link resolves through the registry.
    const registered = await call('POST', '/v1/schemas', {
      name: 'greeting-schema',
      schema: { type: 'object', required: ['intent'], properties: { intent: { type: 'string' } } },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const resolved = await analyze({ template_id: 'linked', parameters: { phrase: 'Hi' } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json().data).toHaveProperty('intent');

    const asked: unknown[] = [];
    const expander = new TemplateExpander({
      templates: testApp.deps.services.templates,
      schemaResolver: async (ref, caller) => {
        asked.push({ ref, caller });
        return { type: 'object', required: ['intent'] };
      },
    });
    const caller = { keyId, isAdmin: false };
    const expanded = await expander.expand({ template_id: 'linked', parameters: { phrase: 'Hi' } }, caller);
    expect(expanded.body.schema).toEqual({ type: 'object', required: ['intent'] });
    expect(asked).toEqual([{ ref: { id: 'greeting-schema', version: '1.0.0' }, caller }]);
    const own = await expander.expand(
      { template_id: 'linked', parameters: { phrase: 'Hi' }, schema: { type: 'object' } },
      caller,
    );
    expect(own.body.schema).toEqual({ type: 'object' });
    expect(asked).toHaveLength(1);
  });
});
