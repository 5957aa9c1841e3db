import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as connectTls } from 'node:tls';
import { watchAbort } from '../../lib/deadline.ts';
import { Http1ResponseParser, type ParsedAnswer } from './http1-response.ts';

/** Where a request goes, parsed once per URL by the caller. */
export interface Http1Target {
  secure: boolean;
  hostname: string;
  /** Empty for the scheme's default port. */
  port: string;
  /** Path and query. */
  path: string;
  /** `Host` header value. */
  host: string;
}

/** Part of a request body: bytes, or text sent as UTF-8. */
export type BodyChunk = string | Uint8Array;

export interface Http1Request {
  method: string;
  /** Lower-case names and their values, flattened, already checked by `checkHeaderList`. */
  headers: readonly string[];
  body?: BodyChunk | readonly BodyChunk[];
  signal?: AbortSignal;
}

/** A connection idle this long is closed; a server's shorter `Keep-Alive: timeout` wins. */
export const idleTimeoutMs = 10_000;

const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const invalidValueCharacter = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Throws when a header cannot go on the wire as it is: a name that is not an HTTP token or a value
 * with a line break would let a configured value inject headers of its own.
 */
export function checkHeaderList(headers: readonly string[]): void {
  for (let index = 0; index < headers.length; index += 2) {
    const name = headers[index]!;
    if (!tokenPattern.test(name)) throw new TypeError(`invalid header name "${name}"`);
    if (invalidValueCharacter.test(headers[index + 1]!))
      throw new TypeError(`invalid character in the value of header "${name}"`);
  }
}

interface Call {
  parser: Http1ResponseParser;
  settle(error: unknown, answer?: ParsedAnswer): void;
}

/** One kept-alive connection to one origin, carrying one request at a time. */
class Connection {
  readonly socket: Socket;
  readonly origin: string;
  readonly pool: Http1Pool;
  call: Call | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(target: Http1Target, origin: string, pool: Http1Pool) {
    this.origin = origin;
    this.pool = pool;
    const port = Number(target.port || (target.secure ? 443 : 80));
    this.socket = target.secure
      ? connectTls({
          ...pool.tlsOptions,
          host: target.hostname,
          port,
          // SNI takes a name, never an address.
          servername: isIP(target.hostname) ? undefined : target.hostname,
          ALPNProtocols: ['http/1.1'],
        })
      : connectTcp({ host: target.hostname, port });
    this.socket.setNoDelay(true);
    this.socket.on('data', (data: Buffer) => this.#received(data));
    this.socket.on('end', () => this.#ended());
    this.socket.on('close', () => this.destroy(new ConnectionClosedError()));
    this.socket.on('error', (error) => this.destroy(error));
  }

  send(request: Http1Request, target: Http1Target, call: Call): void {
    this.#clearIdle();
    this.socket.ref();
    this.call = call;
    let head = `${request.method} ${target.path} HTTP/1.1\r\nhost: ${target.host}\r\n`;
    for (let index = 0; index < request.headers.length; index += 2)
      head += `${request.headers[index]}: ${request.headers[index + 1]}\r\n`;
    const body = request.body;
    if (body !== undefined) head += `content-length: ${byteLength(body)}\r\n`;
    head += '\r\n';
    // Head and body leave in one write when the socket is already connected.
    this.socket.cork();
    this.socket.write(head, 'latin1');
    if (Array.isArray(body)) for (const chunk of body as readonly BodyChunk[]) this.socket.write(chunk);
    else if (body !== undefined) this.socket.write(body as BodyChunk);
    this.socket.uncork();
  }

  /** Closes the connection; a call on it fails with `reason`. */
  destroy(reason?: unknown): void {
    this.#clearIdle();
    this.pool.forget(this);
    const call = this.call;
    this.call = undefined;
    call?.settle(reason ?? new ConnectionClosedError());
    this.socket.destroy();
  }

  #received(data: Buffer): void {
    const call = this.call;
    if (!call) {
      // Nothing was asked: a server that talks out of turn does not get another request.
      this.destroy();
      return;
    }
    let answer: ParsedAnswer | undefined;
    try {
      answer = call.parser.push(data);
    } catch (error) {
      this.destroy(error);
      return;
    }
    if (answer) this.#answered(call, answer);
  }

  #ended(): void {
    const call = this.call;
    const answer = call?.parser.end();
    if (call && answer) this.#answered(call, answer);
    else this.destroy();
  }

  #answered(call: Call, answer: ParsedAnswer): void {
    this.call = undefined;
    const idleMs = Math.min(
      idleTimeoutMs,
      answer.keepAliveMs === undefined ? idleTimeoutMs : answer.keepAliveMs - 1000,
    );
    if (answer.reusable && idleMs > 0 && !this.socket.destroyed) {
      this.socket.unref();
      this.#idleTimer = setTimeout(() => this.destroy(), idleMs);
      this.#idleTimer.unref();
      this.pool.release(this);
    } else {
      this.destroy();
    }
    call.settle(undefined, answer);
  }

  #clearIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}

/** The server closed the connection before its answer was complete. */
export class ConnectionClosedError extends Error {
  override readonly name = 'ConnectionClosedError';
  readonly code = 'ECONNRESET';
  constructor() {
    super('the connection closed before the answer ended');
  }
}

/**
 * Kept-alive HTTP/1.1 connections by origin (ADR 0019). Idle connections are reused newest first, so
 * the warmest stay busy and the rest expire after a burst; there is no cap on connections per
 * origin, as with Node's default agent. A request that fails is never retried here: a POST may have
 * reached the server, and the provider router decides about retries and fallbacks.
 */
export class Http1Pool {
  readonly #idle = new Map<string, Connection[]>();
  /** Extra TLS settings for every secure connection (tests trust their own certificate with `ca`). */
  readonly tlsOptions: ConnectionOptions;

  constructor(options: { tls?: ConnectionOptions } = {}) {
    this.tlsOptions = options.tls ?? {};
  }

  request(target: Http1Target, request: Http1Request): Promise<ParsedAnswer> {
    const signal = request.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const origin = `${target.secure ? 'https' : 'http'}://${target.hostname}:${target.port}`;
    const connection = this.#take(origin) ?? new Connection(target, origin, this);
    return new Promise<ParsedAnswer>((resolve, reject) => {
      let settled = false;
      let stopWatching: (() => void) | undefined;
      const call: Call = {
        parser: new Http1ResponseParser(request.method === 'HEAD'),
        settle(error, answer) {
          if (settled) return;
          settled = true;
          stopWatching?.();
          if (answer) resolve(answer);
          else reject(signal?.aborted ? signal.reason : error);
        },
      };
      if (signal) stopWatching = watchAbort(signal, () => connection.destroy(signal.reason));
      connection.send(request, target, call);
    });
  }

  release(connection: Connection): void {
    const list = this.#idle.get(connection.origin);
    if (list) list.push(connection);
    else this.#idle.set(connection.origin, [connection]);
  }

  forget(connection: Connection): void {
    const list = this.#idle.get(connection.origin);
    const index = list?.indexOf(connection) ?? -1;
    if (index >= 0) list!.splice(index, 1);
  }

  /** Closes every idle connection (tests, shutdown). */
  closeIdle(): void {
    for (const list of [...this.#idle.values()]) for (const connection of [...list]) connection.destroy();
  }

  #take(origin: string): Connection | undefined {
    const list = this.#idle.get(origin);
    for (let connection = list?.pop(); connection; connection = list?.pop()) {
      if (!connection.socket.destroyed) return connection;
    }
    return undefined;
  }
}

function byteLength(body: BodyChunk | readonly BodyChunk[]): number {
  if (!Array.isArray(body)) return chunkLength(body as BodyChunk);
  let total = 0;
  for (const chunk of body as readonly BodyChunk[]) total += chunkLength(chunk);
  return total;
}

function chunkLength(chunk: BodyChunk): number {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
}
