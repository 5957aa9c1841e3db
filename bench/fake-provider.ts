/**
 * A lean OpenAI-compatible vendor for the benchmark, run as its own child process so it neither
 * shares the harness's event loop nor holds anything per request: the test fake
 * (packages/gateway/test/fake-vendor-server.ts) keeps every captured request in memory, which
 * over a few hundred thousand requests would grow without bound. The reply shape is reused from the
 * test fakes so both speak the same wire format.
 *
 *   node bench/fake-provider.ts [port]
 *
 * `POST /realistic/v1/chat/completions` answers the peer comparison's ticket extraction instead.
 *
 * Control endpoints (loopback only, used by the harness):
 *   GET  /bench/stats               → {"calls": n}
 *   POST /bench/reset               → calls = 0
 *   POST /bench/config?delayMs=200  → answer every later call after that delay
 *   POST /bench/config?delayMs=200&jitterMs=100
 *                                   → …after a delay drawn uniformly from 100–300 ms (the harness
 *                                     uses it during warm-ups only, see `spreadPhases` in scenarios.ts)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openAiCompletion } from '../packages/gateway/test/vendor-replies.ts';
import { realisticAnswer } from './lib/realistic-request.ts';

// Valid against the default output schema (packages/contracts/src/default-schema.ts).
const analysis = {
  intent: 'translate',
  subject: 'a greeting',
  entities: [{ type: 'language', value: 'French' }],
  output_format: 'text',
  original_language: 'en',
};

// Serialized once: the fake should cost as little CPU as possible, since it shares the 2 cores.
const completionBody = JSON.stringify(
  openAiCompletion(JSON.stringify(analysis), {
    model: 'bench-model',
    promptTokens: 250,
    completionTokens: 40,
  }).body,
);

// Under `/realistic/…` (the peer comparison's base URL): an answer valid against its ticket schema.
const realisticBody = JSON.stringify(
  openAiCompletion(JSON.stringify(realisticAnswer), {
    model: 'gpt-4o-mini',
    promptTokens: 420,
    completionTokens: 90,
  }).body,
);

let calls = 0;
let delayMs = 0;
let jitterMs = 0;

function sendJson(response: ServerResponse, status: number, payload: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  // The body is not needed: drain it so the connection can be reused.
  request.resume();
  request.once('end', () => {
    const realistic = url.pathname === '/realistic/v1/chat/completions';
    if (request.method === 'POST' && (realistic || url.pathname === '/v1/chat/completions')) {
      calls += 1;
      const body = realistic ? realisticBody : completionBody;
      const wait = jitterMs > 0 ? delayMs + (Math.random() * 2 - 1) * jitterMs : delayMs;
      if (wait <= 0) return sendJson(response, 200, body);
      setTimeout(() => {
        if (!response.destroyed) sendJson(response, 200, body);
      }, wait);
      return;
    }
    if (url.pathname === '/bench/stats')
      return sendJson(response, 200, JSON.stringify({ calls, delayMs, jitterMs }));
    if (request.method === 'POST' && url.pathname === '/bench/reset') {
      calls = 0;
      return sendJson(response, 200, '{}');
    }
    if (request.method === 'POST' && url.pathname === '/bench/config') {
      delayMs = Number(url.searchParams.get('delayMs') ?? 0);
      jitterMs = Math.min(delayMs, Number(url.searchParams.get('jitterMs') ?? 0));
      return sendJson(response, 200, JSON.stringify({ delayMs, jitterMs }));
    }
    sendJson(
      response,
      404,
      JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }),
    );
  });
}

const server = createServer({ keepAliveTimeout: 60_000 }, handle);
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`fake provider listening on ${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
