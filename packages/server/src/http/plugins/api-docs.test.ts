import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/support/build-app.ts';

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 spec that passes a validator', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const spec = response.json();
    expect(spec.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(spec));
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  it('documents every route with a summary, description, tags and its responses', async () => {
    const { app } = await buildTestApp();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operations = Object.entries(
      spec.paths as Record<string, Record<string, Record<string, unknown>>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.map((entry) => entry.path)).toEqual(
      expect.arrayContaining(['/', '/v1/health', '/v1/health/ready']),
    );
    for (const { path, method, operation } of operations) {
      expect(operation.summary, `${method} ${path} summary`).toEqual(expect.any(String));
      expect(operation.description, `${method} ${path} description`).toEqual(expect.any(String));
      expect(operation.tags, `${method} ${path} tags`).toEqual(expect.any(Array));
      expect(
        Object.keys(operation.responses as object).length,
        `${method} ${path} responses`,
      ).toBeGreaterThan(0);
    }
    expect(spec.components.schemas.Problem.properties.request_id).toBeDefined();
  });

  it('serves Swagger UI at /docs and ReDoc at /redoc from this process', async () => {
    const { app } = await buildTestApp();
    const swagger = await app.inject({ method: 'GET', url: '/docs/' });
    expect(swagger.statusCode).toBe(200);
    expect(swagger.body).toContain('swagger-ui');
    const redoc = await app.inject({ method: 'GET', url: '/redoc' });
    expect(redoc.body).toContain('spec-url="/openapi.json"');
    const bundle = await app.inject({ method: 'GET', url: '/redoc/redoc.standalone.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });
});

describe('security headers on the docs pages', () => {
  it('allow the docs to load their own scripts, and only those', async () => {
    const { app } = await buildTestApp();
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    // Every script the page loads is a file from this origin: nothing inline for the policy to block.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const redoc = await app.inject({ method: 'GET', url: '/redoc' });
    expect(redoc.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
