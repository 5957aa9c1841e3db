import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  maxAnswerBytes,
  OversizedAnswerError,
  postJsonThroughPool,
  providerFetch,
} from './provider-fetch.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('provider HTTP pool (node:http keep-alive behind fetch and postJsonThroughPool)', () => {
  let server: Server;
  let baseUrl = '';
  let connections = 0;
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
    server.on('connection', () => {
      connections += 1;
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

  it('posts JSON with its length and reuses one kept-alive connection for calls in sequence', async () => {
    routes.set('/json', (request, body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          type: request.headers['content-type'],
          length: request.headers['content-length'],
          host: request.headers.host,
          key: request.headers.authorization,
          body: JSON.parse(body),
        }),
      );
    });
    const before = connections;
    const answers = [];
    for (const n of [1, 2, 3]) {
      answers.push(
        await postJsonThroughPool(`${baseUrl}/json`, {
          headers: { authorization: 'Bearer k' },
          body: JSON.stringify({ n, text: 'é' }),
          signal: new AbortController().signal,
        }),
      );
    }
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    expect(JSON.parse(answers[2]!.body.toString('utf8'))).toEqual({
      type: 'application/json',
      length: String(Buffer.byteLength(JSON.stringify({ n: 3, text: 'é' }))),
      host: new URL(baseUrl).host,
      key: 'Bearer k',
      body: { n: 3, text: 'é' },
    });
    expect(connections - before).toBe(1);
  });

  it('sends a body given as chunks back to back, with their total length', async () => {
    routes.set('/chunks', (request, body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ length: request.headers['content-length'], body }));
    });
    const chunks = [Buffer.from('{"a":'), Buffer.from('"é"'), Buffer.from(',"b":[1,2]}')];
    const answer = await postJsonThroughPool(`${baseUrl}/chunks`, {
      headers: {},
      body: chunks,
      signal: new AbortController().signal,
    });
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({
      length: String(Buffer.concat(chunks).length),
      body: '{"a":"é","b":[1,2]}',
    });
  });

  it('refuses an answer larger than maxAnswerBytes instead of buffering it', async () => {
    routes.set('/huge', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let sent = 0; sent <= maxAnswerBytes; sent += chunk.length) response.write(chunk);
      response.end();
    });
    const failure = await postJsonThroughPool(`${baseUrl}/huge`, {
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OversizedAnswerError);
  });

  it('rejects when the server drops the connection in the middle of the answer', async () => {
    routes.set('/cut', (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"partial":');
      setTimeout(() => response.socket?.destroy(), 10);
    });
    await expect(
      postJsonThroughPool(`${baseUrl}/cut`, {
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
      }),
    ).rejects.toThrow();
  });
});
