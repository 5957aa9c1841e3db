import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './support/spawn-server.ts';

const started: ServerProcess[] = [];
afterEach(() => {
  for (const server of started.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
});

describe('process entry', () => {
  it('serves health, docs and the spec after start and prints where they are', async () => {
    const server = await spawnServer();
    started.push(server);
    expect(server.stdout()).toContain(`${server.baseUrl}/docs`);
    expect(server.stdout()).toContain(`${server.baseUrl}/v1/health`);
    for (const path of ['/v1/health', '/docs/', '/redoc', '/openapi.json']) {
      const response = await fetch(`${server.baseUrl}${path}`);
      expect(response.status, path).toBe(200);
    }
  });

  it('finishes a request that is in flight when SIGTERM arrives, then exits 0', async () => {
    const server = await spawnServer({ LOG_LEVEL: 'debug' });
    started.push(server);
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    const closed = new Promise<void>((resolveClose) => socket.on('close', () => resolveClose()));
    const body = JSON.stringify({ prompt: 'in flight during shutdown' });
    // Send the headers and half the body: the server has accepted the request but cannot answer yet.
    socket.write(
      `POST /v1/in-flight HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await server.waitForOutput(/"msg":"incoming request"/);

    server.child.kill('SIGTERM');
    await server.waitForOutput(/"msg":"shutting down"/);
    expect(server.child.exitCode).toBeNull();

    socket.end(body.slice(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).toContain('application/problem+json');
    expect(answer).toContain('"request_id"');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('shutdown complete');
  });

  it('refuses to start on invalid settings, exiting 1 with every problem in one message', async () => {
    const server = await spawnServer({
      PORT: 'not-a-port',
      LOG_LEVEL: 'chatty',
      MAX_SCHEMA_DEPTH: '0',
      __EXPECT_FAILURE: '1',
    });
    started.push(server);
    expect(await server.exited).toBe(1);
    const message = server.stderr();
    expect(message).toContain('Invalid configuration (3 problems)');
    expect(message).toContain('PORT (server.port)');
    expect(message).toContain('LOG_LEVEL (log.level)');
    expect(message).toContain('MAX_SCHEMA_DEPTH (limits.maxSchemaDepth)');
  });
});
