import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardRoutes } from './dashboard.route.ts';

let app: FastifyInstance | undefined;
let dir: string | undefined;

afterEach(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The dashboard routes on their own, over a folder shaped like the web build. */
async function serve(built: boolean): Promise<FastifyInstance> {
  dir = mkdtempSync(join(tmpdir(), 'sps-dashboard-'));
  if (built) {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  }
  app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  await app.register(dashboardRoutes, { dir });
  return app;
}

describe('dashboard static serving', () => {
  it('serves the page with revalidation, hashed assets as immutable, and a CSP allowing nothing external', async () => {
    const server = await serve(true);
    const page = await server.inject({ method: 'GET', url: '/dashboard/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);

    const asset = await server.inject({ method: 'GET', url: '/dashboard/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await server.inject({ method: 'GET', url: '/dashboard/favicon.svg' });
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('answers client-side routes with the page, redirects the bare path, and 404s a missing asset', async () => {
    const server = await serve(true);
    const deep = await server.inject({ method: 'GET', url: '/dashboard/history/01a2-request' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>dashboard</title>');
    const bare = await server.inject({ method: 'GET', url: '/dashboard' });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/dashboard/');
    expect((await server.inject({ method: 'GET', url: '/dashboard/assets/missing.js' })).statusCode).toBe(
      404,
    );
    expect((await server.inject({ method: 'GET', url: '/dashboard/../package.json' })).statusCode).not.toBe(
      200,
    );
  });

  it('says how to build the dashboard when there is no build', async () => {
    const server = await serve(false);
    const response = await server.inject({ method: 'GET', url: '/dashboard/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
  });
});
