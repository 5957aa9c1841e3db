import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted answer of a fake vendor. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string (which is sent as is, e.g. a broken body). */
  body?: unknown;
  /** Wait this long before answering (the client may abort meanwhile). */
  delayMs?: number;
  /** Never answer: the request stays open until the client gives up. */
  hang?: boolean;
  /** Answer only once this settles: a test holds the request in flight as long as it needs to. */
  until?: Promise<unknown>;
  /** Stream these server-sent events (each a complete `event:`/`data:` block) instead of a body. */
  events?: string[];
  /** Pause between two streamed events. */
  eventIntervalMs?: number;
}

/** Everything the fake received, so tests assert on the request the adapter really sent. */
export interface CapturedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Set when the client closed the connection before the fake answered (or finished streaming). */
  abortedByClient: boolean;
  /** Events of a streamed reply written before it ended or the client went away. */
  eventsSent: number;
}

export type ReplyFactory = (request: CapturedRequest) => FakeReply;

export interface FakeServerOptions {
  /** Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
}

/**
 * A vendor fake on 127.0.0.1 (port 0). Replies come from the script queue first, then from the
 * default factory; every request is captured, and a client disconnect before the answer is noted.
 */
export class FakeVendorServer {
  readonly requests: CapturedRequest[] = [];
  readonly #server: Server;
  readonly #script: Array<FakeReply | ReplyFactory> = [];
  readonly #defaultReply: ReplyFactory;
  readonly #closeWaiters: Array<() => void> = [];
  readonly #openSockets = new Set<Socket>();
  readonly #idleWaiters: Array<() => void> = [];
  #inFlight = 0;
  #maxInFlight = 0;
  /** TCP connections accepted so far (kept-alive connections are counted once). */
  connections = 0;
  url = '';

  private constructor(defaultReply: ReplyFactory, options: FakeServerOptions) {
    this.#defaultReply = defaultReply;
    const handler = (request: IncomingMessage, response: ServerResponse) =>
      void this.#handle(request, response);
    this.#server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
    this.#server.on('connection', (socket: Socket) => {
      this.connections += 1;
      this.#openSockets.add(socket);
      socket.once('close', () => {
        this.#openSockets.delete(socket);
        if (this.#openSockets.size === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      });
    });
  }

  static async start(defaultReply: ReplyFactory, options: FakeServerOptions = {}): Promise<FakeVendorServer> {
    const fake = new FakeVendorServer(defaultReply, options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    const scheme = options.tls ? 'https' : 'http';
    fake.url = `${scheme}://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Connections the client has not closed yet. */
  get openConnections(): number {
    return this.#openSockets.size;
  }

  /** Resolves once every connection a client opened has been closed. */
  whenNoOpenConnections(): Promise<void> {
    if (this.#openSockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Queues replies used one per request before the default takes over again. */
  script(...replies: Array<FakeReply | ReplyFactory>): this {
    this.#script.push(...replies);
    return this;
  }

  /** Most requests that were open at the same time. */
  get maxConcurrent(): number {
    return this.#maxInFlight;
  }

  /** Resolves once a client has dropped a request the fake had not answered yet. */
  whenClientAborts(): Promise<void> {
    if (this.requests.some((request) => request.abortedByClient)) return Promise.resolve();
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text
    }
    const captured: CapturedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body,
      abortedByClient: false,
      eventsSent: 0,
    };
    this.requests.push(captured);
    this.#inFlight += 1;
    this.#maxInFlight = Math.max(this.#maxInFlight, this.#inFlight);
    let answered = false;
    response.on('close', () => {
      this.#inFlight -= 1;
      if (!answered) {
        captured.abortedByClient = true;
        for (const resolve of this.#closeWaiters.splice(0)) resolve();
      }
    });
    const next = this.#script.shift() ?? this.#defaultReply;
    const reply = typeof next === 'function' ? next(captured) : next;
    if (reply.hang) return;
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.until) await reply.until.catch(() => undefined);
    if (response.destroyed) return;
    if (reply.events) {
      await streamEvents(response, reply, captured);
      answered = !response.destroyed;
      return;
    }
    answered = true;
    const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    response.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    response.end(payload);
  }
}

/** Writes a reply's events one at a time, paced, stopping when the client goes away. */
async function streamEvents(
  response: ServerResponse,
  reply: FakeReply,
  captured: CapturedRequest,
): Promise<void> {
  response.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', ...reply.headers });
  for (const event of reply.events ?? []) {
    if (response.destroyed) return;
    response.write(event.endsWith('\n\n') ? event : `${event}\n\n`);
    captured.eventsSent += 1;
    if (reply.eventIntervalMs) await new Promise((resolve) => setTimeout(resolve, reply.eventIntervalMs));
  }
  if (!response.destroyed) response.end();
}
