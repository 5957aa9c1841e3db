import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { buildTestApp, LogCapture } from '../../../test/support/build-app.ts';
import { AppError } from '../../lib/app-error.ts';

/** Routes added only in these tests, to provoke each kind of failure through the real handlers. */
async function appWithProbeRoutes(env: Record<string, string> = {}, captureLogs?: LogCapture) {
  const { app } = await buildTestApp({ env, captureLogs });
  app.post(
    '/test/echo',
    {
      config: { auth: 'public' },
      schema: {
        body: Type.Object(
          { prompt: Type.String({ minLength: 1 }), count: Type.Integer({ maximum: 5 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => request.body,
  );
  app.get('/test/crash', { config: { auth: 'public' } }, async () => {
    throw new Error(
      'connection to db-internal.example:5432 failed: password authentication failed for user "sps"',
    );
  });
  app.get('/test/conflict', { config: { auth: 'public' } }, async () => {
    throw new AppError('conflict', 'A schema with that name and version already exists.', {
      context: { secretish: 'x' },
    });
  });
  return app;
}

function expectProblem(
  response: { headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json() as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:structured-prompt:problem:${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(body.request_id).toBe(response.headers['x-request-id']);
  return body;
}

describe('problem+json error handling', () => {
  it('answers a body that fails the route schema with 400 naming each offending field', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { prompt: '', count: 9, extra: true },
    });
    expect(response.statusCode).toBe(400);
    const body = expectProblem(response, 400, 'validation_error');
    const paths = (body.errors as Array<{ path: string }>).map((error) => error.path).sort();
    expect(paths).toEqual(['/body/count', '/body/extra', '/body/prompt']);
  });

  it('names a missing required field by its own path', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({ method: 'POST', url: '/test/echo', payload: { count: 1 } });
    const body = expectProblem(response, 400, 'validation_error');
    expect(body.errors).toEqual([expect.objectContaining({ path: '/body/prompt', keyword: 'required' })]);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"prompt": "x",',
    });
    expectProblem(response, 400, 'invalid_json');
  });

  it('refuses prototype-poisoning payloads', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"prompt":"x","count":1,"__proto__":{"admin":true}}',
    });
    const body = expectProblem(response, 400, 'bad_request');
    expect(String(body.detail)).toContain('a property named "__proto__" at /__proto__');
    expect(body.errors).toEqual([
      { path: '/__proto__', keyword: 'propertyName', message: 'property name "__proto__" is not accepted' },
    ]);
    const nested = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"prompt":"x","count":1,"meta":{"constructor":{"prototype":{"admin":true}}}}',
    });
    expect(String(expectProblem(nested, 400, 'bad_request').detail)).toContain(
      '"constructor" at /meta/constructor',
    );
  });

  it('refuses a body that is not valid UTF-8', async () => {
    const app = await appWithProbeRoutes();
    const payload = Buffer.concat([
      Buffer.from('{"prompt":"caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","count":1}'),
    ]);
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    const body = expectProblem(response, 400, 'invalid_json');
    expect(String(body.detail)).toContain('UTF-8');
  });

  it.each([
    ['an escaped NUL', '{"prompt":"a\\u0000b","count":1}'],
    ['a raw NUL', '{"prompt":"a\u0000b","count":1}'],
  ])('refuses %s in the body', async (_label, payload) => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    const body = expectProblem(response, 400, 'bad_request');
    expect(String(body.detail)).toContain('NUL');
  });

  it('accepts vendor JSON media types such as application/merge-patch+json', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/merge-patch+json' },
      payload: '{"prompt":"ok","count":2}',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ prompt: 'ok', count: 2 });
  });

  it('answers a body over the configured limit with 413', async () => {
    const app = await appWithProbeRoutes({ BODY_LIMIT_BYTES: '2048' });
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { prompt: 'x'.repeat(5000), count: 1 },
    });
    expectProblem(response, 413, 'payload_too_large');
  });

  it('answers a non-JSON content type with 415', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('answers an unknown route with 404', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here?x=1' });
    const body = expectProblem(response, 404, 'not_found');
    expect(body.instance).toBe('/v1/nothing-here');
  });

  it('answers an unexpected error with a generic 500 that leaks nothing, and logs the real cause', async () => {
    const logs = new LogCapture();
    const app = await appWithProbeRoutes({}, logs);
    const response = await app.inject({ method: 'GET', url: '/test/crash' });
    const body = expectProblem(response, 500, 'internal_error');
    expect(response.body).not.toMatch(/db-internal|password|5432|stack|at /);
    expect(Object.keys(body).sort()).toEqual([
      'code',
      'detail',
      'instance',
      'request_id',
      'status',
      'title',
      'type',
    ]);
    expect(logs.text).toContain('db-internal.example');
  });

  it('answers an AppError with its own status and detail but never its context', async () => {
    const app = await appWithProbeRoutes();
    const response = await app.inject({ method: 'GET', url: '/test/conflict' });
    const body = expectProblem(response, 409, 'conflict');
    expect(body.detail).toBe('A schema with that name and version already exists.');
    expect(response.body).not.toContain('secretish');
  });
});
