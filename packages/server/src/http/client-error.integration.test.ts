import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../test/support/build-app.ts';

/** Everything the server sends on one keep-alive connection until it closes it. */
async function converse(port: number, requests: string[]): Promise<string> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  const ended = once(socket, 'end');
  for (const request of requests) {
    const before = text.length;
    socket.write(request);
    // Wait for the answer to this request before sending the next one on the same connection.
    while (text.length === before || !completeAnswer(text.slice(before))) {
      await Promise.race([once(socket, 'data'), ended]);
      if (socket.readableEnded) break;
    }
  }
  await ended;
  socket.destroy();
  return text;
}

function completeAnswer(text: string): boolean {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? 0);
  return text.length >= headEnd + 4 + length;
}

function answers(text: string): Array<{ status: number; headers: Record<string, string>; body: string }> {
  return text
    .split(/(?=HTTP\/1\.1 \d{3} )/)
    .filter(Boolean)
    .map((raw) => {
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      return { status: Number(statusLine.split(' ')[1]), headers, body };
    });
}

describe('a request the HTTP parser refuses', () => {
  const liveRequest = 'GET /v1/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n';

  for (const [name, refused, status, code] of [
    ['malformed', 'NOT A REQUEST LINE\r\n\r\n', 400, 'bad_request'],
    [
      'with oversized headers',
      `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
  ] as const) {
    it(`(${name}) on a reused keep-alive socket is answered with a problem and Connection: close, then closed`, async () => {
      const { app } = await buildTestApp();
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      const text = await converse(port, [liveRequest, refused]);
      const [first, second, ...rest] = answers(text);
      expect(first?.status).toBe(200);
      expect(first?.headers.connection).toBe('keep-alive');
      expect(second?.status).toBe(status);
      expect(second?.headers.connection).toBe('close');
      expect(second?.headers['content-type']).toBe('application/problem+json');
      const problem = JSON.parse(second!.body) as Record<string, unknown>;
      expect(problem).toMatchObject({ status, code, request_id: second?.headers['x-request-id'] });
      expect(rest).toEqual([]);
      // The socket closed (converse resolved on 'end'), and the server still answers new connections.
      const again = await app.inject({ method: 'GET', url: '/v1/health/live' });
      expect(again.statusCode).toBe(200);
    });
  }
});
