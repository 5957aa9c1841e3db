/**
 * The streaming scenario: a fake OpenAI-compatible provider streams 200 tokens at a fixed rate; the
 * same stream is read straight from the provider, through `/v1/chat/completions` with `stream: true`
 * and through `/v1/analyze` as server-sent events. Reports time to the first content and to the end,
 * and what the service adds to each (medians of sequential runs, one stream at a time).
 *
 *   node bench/streaming.ts [--runs 10] [--token-ms 5]      (also part of `npm run bench`)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createParser } from 'eventsource-parser';
import { providerName, startService } from './lib/bench-stack.ts';
import { stopChild } from './lib/child-processes.ts';

const tokens = 200;

export interface StreamTiming {
  label: string;
  firstContentMs: number;
  totalMs: number;
}

export interface StreamingResult {
  tokens: number;
  tokenMs: number;
  runs: number;
  direct: StreamTiming;
  paths: StreamTiming[];
}

/** The reply's JSON text cut into `tokens` pieces, each sent as one chunk. */
function replyPieces(): string[] {
  const text = JSON.stringify({
    content: Array.from({ length: tokens }, (_, index) => `w${index}`).join(' '),
  });
  const size = Math.ceil(text.length / tokens);
  return Array.from({ length: tokens }, (_, index) => text.slice(index * size, (index + 1) * size));
}

/** A fake OpenAI-compatible provider on 127.0.0.1 that streams when asked and answers whole otherwise. */
async function startStreamingProvider(tokenMs: number) {
  const pieces = replyPieces();
  const chunk = (choices: unknown[], extra = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench-model', choices, ...extra })}\n\n`;
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    for await (const part of request) raw += part;
    const streamed = (JSON.parse(raw || '{}') as { stream?: boolean }).stream === true;
    if (!streamed) {
      await sleep(tokens * tokenMs);
      const usage = { prompt_tokens: 50, completion_tokens: tokens, total_tokens: 50 + tokens };
      const message = { role: 'assistant', content: pieces.join('') };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 1,
          model: 'bench-model',
          choices: [{ index: 0, message, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    for (const piece of pieces) {
      if (response.destroyed) return;
      await sleep(tokenMs);
      response.write(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
    }
    response.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
    response.write(
      chunk([], { usage: { prompt_tokens: 50, completion_tokens: tokens, total_tokens: 50 + tokens } }),
    );
    response.end('data: [DONE]\n\n');
  };
  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Reads one event stream: ms to the first event `isContent` accepts, and to the end of the body. */
async function timeStream(
  url: string,
  init: RequestInit,
  isContent: (event: string | undefined, data: string) => boolean,
): Promise<{ firstContentMs: number; totalMs: number }> {
  const started = performance.now();
  let firstContentMs = Number.NaN;
  const parser = createParser({
    onEvent: ({ event, data }) => {
      if (Number.isNaN(firstContentMs) && isContent(event, data))
        firstContentMs = performance.now() - started;
    },
  });
  const response = await fetch(url, init);
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const decoder = new TextDecoder();
  for await (const bytes of response.body) parser.feed(decoder.decode(bytes, { stream: true }));
  return { firstContentMs, totalMs: performance.now() - started };
}

const hasContent = (_event: string | undefined, data: string) =>
  data !== '[DONE]' &&
  Boolean(
    (JSON.parse(data) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]?.delta?.content,
  );

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(
  label: string,
  runs: number,
  once: (run: number) => Promise<{ firstContentMs: number; totalMs: number }>,
): Promise<StreamTiming> {
  await once(-1); // warm-up: lazy imports, first connection
  const samples = [];
  for (let run = 0; run < runs; run += 1) samples.push(await once(run));
  return {
    label,
    firstContentMs: median(samples.map((sample) => sample.firstContentMs)),
    totalMs: median(samples.map((sample) => sample.totalMs)),
  };
}

/** Starts the fake provider and a service in front of it, measures the three paths, stops both. */
export async function streamingScenario(
  dataDir: string,
  options: { runs?: number; tokenMs?: number } = {},
): Promise<StreamingResult> {
  const runs = options.runs ?? 10;
  const tokenMs = options.tokenMs ?? 5;
  const provider = await startStreamingProvider(tokenMs);
  mkdirSync(dataDir, { recursive: true });
  const service = await startService({ dataDir, providerBaseUrl: provider.baseUrl });
  try {
    const json = { 'content-type': 'application/json' };
    const auth = { ...json, authorization: `Bearer ${service.userKey}` };
    // Every run asks something new, so the service's cache never answers.
    const messages = (run: number) => [
      { role: 'user', content: `Write ${tokens} words (run ${run}, ${Date.now()})` },
    ];
    const direct = await measure('straight to the provider', runs, (run) =>
      timeStream(
        `${provider.baseUrl}/v1/chat/completions`,
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ model: 'bench-model', messages: messages(run), stream: true }),
        },
        hasContent,
      ),
    );
    const chat = await measure('/v1/chat/completions, stream: true', runs, (run) =>
      timeStream(
        `${service.baseUrl}/v1/chat/completions`,
        {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ model: providerName, messages: messages(run), stream: true }),
        },
        hasContent,
      ),
    );
    const schema = { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] };
    const analyze = await measure('/v1/analyze, partial events', runs, (run) =>
      timeStream(
        `${service.baseUrl}/v1/analyze`,
        {
          method: 'POST',
          headers: { ...auth, accept: 'text/event-stream' },
          body: JSON.stringify({ prompt: messages(run)[0]!.content, schema, provider: providerName }),
        },
        (event) => event === 'partial',
      ),
    );
    return { tokens, tokenMs, runs, direct, paths: [chat, analyze] };
  } finally {
    await stopChild(service.child);
    await provider.close();
  }
}

export function formatStreaming(result: StreamingResult): string {
  const row = (timing: StreamTiming, added?: StreamTiming) => {
    const delta = (value: number, base: number | undefined) =>
      base === undefined ? '' : ` (${value - base >= 0 ? '+' : ''}${(value - base).toFixed(1)})`;
    return `  ${timing.label.padEnd(40)} ${`${timing.firstContentMs.toFixed(1)}${delta(timing.firstContentMs, added?.firstContentMs)}`.padEnd(18)} ${timing.totalMs.toFixed(1)}${delta(timing.totalMs, added?.totalMs)}`;
  };
  return [
    `streaming: ${result.tokens} tokens every ${result.tokenMs} ms, medians of ${result.runs} sequential runs (added vs straight to the provider)`,
    `  ${'path'.padEnd(40)} ${'first content ms'.padEnd(18)} total ms`,
    row(result.direct),
    ...result.paths.map((path) => row(path, result.direct)),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '10' }, 'token-ms': { type: 'string', default: '5' } },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'sps-bench-stream-'));
  try {
    const result = await streamingScenario(dataDir, {
      runs: Number(values.runs),
      tokenMs: Number(values['token-ms']),
    });
    process.stdout.write(`${formatStreaming(result)}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
