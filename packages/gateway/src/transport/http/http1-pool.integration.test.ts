import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkHeaderList, Http1Pool, type Http1Target } from './http1-pool.ts';
import { MalformedAnswerError } from './http1-response.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 that counts the connections it accepted. */
async function listen(server: Server, handler: () => Handler) {
  let connections = 0;
  server.on('connection', () => connections++);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handler()(request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port: String(port), connections: () => connections };
}

const target = (port: string, path = '/', secure = false): Http1Target => ({
  secure,
  hostname: '127.0.0.1',
  port,
  path,
  host: `127.0.0.1:${port}`,
});

const post = (pool: Http1Pool, to: Http1Target, body = '{}', signal?: AbortSignal) =>
  pool.request(to, { method: 'POST', headers: ['content-type', 'application/json'], body, signal });

describe('Http1Pool against a real server', () => {
  let handler: Handler = (_request, body, response) => response.end(`echo:${body}`);
  const server = createServer();
  let port = '';
  let connections = () => 0;
  const pool = new Http1Pool();

  beforeAll(async () => {
    ({ port, connections } = await listen(server, () => handler));
  });
  afterEach(() => pool.closeIdle());
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers concurrent calls on connections of their own, then reuses them', async () => {
    const before = connections();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(pool, target(port), `${i}`)));
    expect(answers.map((answer) => answer.body.toString())).toEqual(
      Array.from({ length: 8 }, (_, i) => `echo:${i}`),
    );
    expect(connections() - before).toBe(8);
    for (let i = 0; i < 5; i++) await post(pool, target(port));
    expect(connections() - before).toBe(8);
  });

  it('sends a body given as text and byte chunks in order, with its length in UTF-8 bytes', async () => {
    let length = '';
    handler = (request, body, response) => {
      length = String(request.headers['content-length']);
      response.end(`echo:${body}`);
    };
    const body = ['{"prompt":"héllo ', Buffer.from('wörld 日本', 'utf8'), '",', Buffer.alloc(0), '"n":1}'];
    const answer = await pool.request(target(port), { method: 'POST', headers: [], body });
    expect(answer.body.toString()).toBe('echo:{"prompt":"héllo wörld 日本","n":1}');
    expect(Number(length)).toBe(Buffer.byteLength('{"prompt":"héllo wörld 日本","n":1}'));
  });

  it('reads a chunked answer written in pieces', async () => {
    handler = (_request, _body, response) => {
      response.write('{"parts":[');
      setTimeout(() => response.end('1,2]}'), 5);
    };
    const answer = await post(pool, target(port));
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(answer.body.toString())).toEqual({ parts: [1, 2] });
  });

  it('opens a new connection after an answer with Connection: close, or a short Keep-Alive', async () => {
    handler = (_request, _body, response) => response.setHeader('connection', 'close').end('bye');
    const before = connections();
    await post(pool, target(port));
    await post(pool, target(port));
    expect(connections() - before).toBe(2);
    handler = (_request, _body, response) => response.setHeader('keep-alive', 'timeout=1').end('short');
    await post(pool, target(port));
    await post(pool, target(port));
    expect(connections() - before).toBe(4);
  });

  it('drops a connection the server closed while it was idle and calls on a new one', async () => {
    handler = (_request, _body, response) => response.end('ok');
    server.keepAliveTimeout = 30;
    try {
      const before = connections();
      await post(pool, target(port));
      await new Promise((resolve) => setTimeout(resolve, 150));
      const answer = await post(pool, target(port));
      expect(answer.body.toString()).toBe('ok');
      expect(connections() - before).toBe(2);
    } finally {
      server.keepAliveTimeout = 5000;
    }
  });

  it('rejects with the signal reason when aborted, and the next call still works', async () => {
    handler = (_request, _body, response) => setTimeout(() => response.end('late'), 200);
    const controller = new AbortController();
    const call = post(pool, target(port), '{}', controller.signal);
    setTimeout(() => controller.abort(new Error('deadline')), 20);
    await expect(call).rejects.toThrow('deadline');
    handler = (_request, _body, response) => response.end('next');
    expect((await post(pool, target(port))).body.toString()).toBe('next');
  });
});

describe('Http1Pool against servers that misbehave', () => {
  it('rejects an answer that is not HTTP and closes that connection', async () => {
    const sockets: Socket[] = [];
    const server = createTcpServer((socket) => {
      sockets.push(socket);
      socket.once('data', () => socket.write('garbage\r\n\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const pool = new Http1Pool();
    try {
      await expect(post(pool, target(String(port)))).rejects.toBeInstanceOf(MalformedAnswerError);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sockets[0]?.destroyed || sockets[0]?.readableEnded).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses header names and values that would inject headers', () => {
    expect(() => checkHeaderList(['x-key', 'abc\r\nx-evil: 1'])).toThrow(TypeError);
    expect(() => checkHeaderList(['bad name', 'v'])).toThrow(TypeError);
    expect(() => checkHeaderList(['authorization', 'Bearer sk-é\t1'])).not.toThrow();
  });
});

function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'sps-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
}

const certificate = selfSignedCertificate();

describe.skipIf(!certificate)(
  'Http1Pool over TLS (skipped when openssl cannot make a test certificate)',
  () => {
    it('calls an https server it trusts, reuses the connection, and refuses one it does not', async () => {
      const server = createHttpsServer({ key: certificate!.key, cert: certificate!.cert });
      const { port, connections } = await listen(
        server as unknown as Server,
        () => (_r, body, response) => response.end(`tls:${body}`),
      );
      const trusting = new Http1Pool({ tls: { ca: certificate!.cert } });
      try {
        const secure = { ...target(port, '/', true), hostname: 'localhost', host: `localhost:${port}` };
        expect((await post(trusting, secure, 'a')).body.toString()).toBe('tls:a');
        expect((await post(trusting, secure, 'b')).body.toString()).toBe('tls:b');
        expect(connections()).toBe(1);
        await expect(post(new Http1Pool(), secure)).rejects.toThrow(/self[- ]signed/i);
      } finally {
        trusting.closeIdle();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  },
);
