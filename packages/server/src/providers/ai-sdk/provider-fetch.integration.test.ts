import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFetch } from './provider-fetch.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('provider fetch (undici request behind the fetch signature)', () => {
  let server: Server;
  let baseUrl = '';
  const routes = new Map<string, Handler>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => routes.get(request.url ?? '')?.(request, body, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and body, and returns status, headers and body as a Response', async () => {
    routes.set('/echo', (request, body, response) => {
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.setHeader('retry-after', '7');
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          method: request.method,
          auth: request.headers.authorization,
          body: JSON.parse(body),
        }),
      );
    });
    const response = await providerFetch(`${baseUrl}/echo`, {
      method: 'POST',
      // The AI SDK passes optional headers as undefined; they must not be sent.
      headers: { Authorization: 'Bearer k', 'x-unset': undefined } as unknown as Record<string, string>,
      body: JSON.stringify({ hello: 'wörld' }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(429);
    expect(response.ok).toBe(false);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ method: 'POST', auth: 'Bearer k', body: { hello: 'wörld' } });
  });

  it('accepts a Headers object and a URL, and gives a 204 a null body', async () => {
    let seen: string | undefined;
    routes.set('/empty', (request, _body, response) => {
      seen = request.headers['x-api-key'] as string;
      response.writeHead(204).end();
    });
    const response = await providerFetch(new URL(`${baseUrl}/empty`), {
      method: 'DELETE',
      headers: new Headers({ 'X-Api-Key': 'abc' }),
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
    expect(seen).toBe('abc');
  });

  it('rejects with the signal reason when aborted, like fetch (timeouts stay TimeoutError)', async () => {
    routes.set('/hang', () => {});
    const timeout = AbortSignal.timeout(50);
    await expect(providerFetch(`${baseUrl}/hang`, { signal: timeout })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(providerFetch(`${baseUrl}/hang`, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('reports a refused connection as fetch does: TypeError "fetch failed" with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await providerFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect(((failure as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
