import type { IncomingHttpHeaders } from 'node:http';

/** A vendor answer larger than this is refused: a misbehaving server must not fill our memory. */
export const maxAnswerBytes = 16 * 1024 * 1024;
/** Status line and headers together; Node's own parser allows 16 KB, vendors send far less. */
export const maxHeadBytes = 64 * 1024;

export class OversizedAnswerError extends Error {
  override readonly name = 'OversizedAnswerError';
}

/** What the server sent that is not HTTP/1.1 we can read: the connection is not reused. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
  readonly code = 'HPE_INVALID';
}

export interface ParsedAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The connection may carry the next request. */
  reusable: boolean;
  /** From `Keep-Alive: timeout=N`, in ms, when the server announced one. */
  keepAliveMs?: number;
}

/** Headers Node keeps only the first of when repeated; every other repeated header is joined. */
const singleValued = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

const headEnd = Buffer.from('\r\n\r\n');
const lineEnd = Buffer.from('\r\n');
const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;
const headerLine = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;

type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; remaining: number }
  | { kind: 'chunked'; step: 'size' | 'data' | 'data-end' | 'trailers'; remaining: number }
  | { kind: 'until-close' };

/**
 * Reads one HTTP/1.x answer from the bytes of a connection, fed as they arrive (ADR 0019). It knows
 * the framings a vendor API uses — `Content-Length`, chunked, and read-until-close — skips interim
 * 1xx answers, and decides whether the connection can carry another request. Anything else it cannot
 * read is a `MalformedAnswerError`; the connection is then closed, never reused.
 */
export class Http1ResponseParser {
  readonly #noBody: boolean;
  #buffered: Buffer = Buffer.alloc(0);
  #head: Omit<ParsedAnswer, 'body'> | undefined;
  #framing: BodyFraming | undefined;
  readonly #chunks: Buffer[] = [];
  #bodyBytes = 0;
  #done = false;

  /** `noBody`: the request was a HEAD, whose answer has headers only. */
  constructor(noBody = false) {
    this.#noBody = noBody;
  }

  /** Feeds bytes; returns the answer once it is complete. Throws on what it cannot read. */
  push(data: Buffer): ParsedAnswer | undefined {
    if (this.#done) return undefined;
    this.#buffered = this.#buffered.length === 0 ? data : Buffer.concat([this.#buffered, data]);
    while (!this.#framing) {
      const end = this.#buffered.indexOf(headEnd);
      if (end < 0) {
        if (this.#buffered.length > maxHeadBytes)
          throw new MalformedAnswerError('the answer head is too large');
        return undefined;
      }
      const head = this.#buffered.subarray(0, end).toString('latin1');
      this.#buffered = this.#buffered.subarray(end + headEnd.length);
      this.#readHead(head);
    }
    return this.#readBody();
  }

  /** The connection ended: completes a read-until-close answer, anything else was cut short. */
  end(): ParsedAnswer | undefined {
    if (this.#done) return undefined;
    if (this.#framing?.kind === 'until-close') {
      this.#take(this.#buffered);
      return this.#finish(false);
    }
    return undefined;
  }

  #readHead(text: string): void {
    const lines = text.split('\r\n');
    const status = statusLine.exec(lines[0] ?? '');
    if (!status) throw new MalformedAnswerError('the answer does not start with an HTTP/1.x status line');
    const statusCode = Number(status[2]);
    const headers: IncomingHttpHeaders = {};
    for (let index = 1; index < lines.length; index++) {
      const match = headerLine.exec(lines[index]!);
      if (!match) throw new MalformedAnswerError('the answer has a header line that is not a header');
      addHeader(headers, match[1]!.toLowerCase(), match[2]!);
    }
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) return;
    const minor = status[1] === '1';
    const connection = tokens(headers.connection);
    const reusable = minor ? !connection.includes('close') : connection.includes('keep-alive');
    this.#head = { statusCode, headers, reusable, keepAliveMs: keepAliveHint(headers['keep-alive']) };
    this.#framing = this.#framingOf(statusCode, headers);
  }

  #framingOf(statusCode: number, headers: IncomingHttpHeaders): BodyFraming {
    if (this.#noBody || statusCode === 204 || statusCode === 304) return { kind: 'none' };
    const transfer = headers['transfer-encoding'];
    if (transfer !== undefined) {
      if (tokens(transfer).at(-1) !== 'chunked') return { kind: 'until-close' };
      return { kind: 'chunked', step: 'size', remaining: 0 };
    }
    const length = headers['content-length'];
    if (length === undefined) return { kind: 'until-close' };
    if (!/^\d{1,15}$/.test(length))
      throw new MalformedAnswerError('the answer has an invalid Content-Length');
    const bytes = Number(length);
    if (bytes > maxAnswerBytes)
      throw new OversizedAnswerError(`the answer is larger than ${maxAnswerBytes} bytes`);
    return { kind: 'length', remaining: bytes };
  }

  #readBody(): ParsedAnswer | undefined {
    const framing = this.#framing!;
    switch (framing.kind) {
      case 'none':
        return this.#finish(this.#buffered.length === 0);
      case 'until-close':
        this.#take(this.#buffered);
        this.#buffered = Buffer.alloc(0);
        return undefined;
      case 'length': {
        const part = this.#buffered.subarray(0, framing.remaining);
        this.#take(part);
        framing.remaining -= part.length;
        this.#buffered = this.#buffered.subarray(part.length);
        // Bytes past the body were not asked for: do not read the next answer from them.
        return framing.remaining === 0 ? this.#finish(this.#buffered.length === 0) : undefined;
      }
      case 'chunked':
        return this.#readChunks(framing);
    }
  }

  #readChunks(framing: Extract<BodyFraming, { kind: 'chunked' }>): ParsedAnswer | undefined {
    for (;;) {
      if (framing.step === 'data') {
        const part = this.#buffered.subarray(0, framing.remaining);
        this.#take(part);
        framing.remaining -= part.length;
        this.#buffered = this.#buffered.subarray(part.length);
        if (framing.remaining > 0) return undefined;
        framing.step = 'data-end';
        continue;
      }
      const end = this.#buffered.indexOf(lineEnd);
      if (end < 0) {
        if (this.#buffered.length > maxHeadBytes) throw new MalformedAnswerError('a chunk line is too long');
        return undefined;
      }
      const line = this.#buffered.subarray(0, end).toString('latin1');
      this.#buffered = this.#buffered.subarray(end + lineEnd.length);
      if (framing.step === 'data-end') {
        if (line !== '') throw new MalformedAnswerError('a chunk is longer than its size');
        framing.step = 'size';
      } else if (framing.step === 'size') {
        const size = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/.exec(line);
        if (!size) throw new MalformedAnswerError('the answer has an invalid chunk size');
        framing.remaining = Number.parseInt(size[1]!, 16);
        framing.step = framing.remaining === 0 ? 'trailers' : 'data';
      } else if (line === '') {
        // The empty line after the trailers (which we do not keep) ends the answer.
        return this.#finish(this.#buffered.length === 0);
      }
    }
  }

  #take(part: Buffer): void {
    if (part.length === 0) return;
    this.#bodyBytes += part.length;
    if (this.#bodyBytes > maxAnswerBytes)
      throw new OversizedAnswerError(`the answer is larger than ${maxAnswerBytes} bytes`);
    this.#chunks.push(part);
  }

  #finish(clean: boolean): ParsedAnswer {
    this.#done = true;
    const head = this.#head!;
    const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#bodyBytes);
    return { ...head, body, reusable: head.reusable && clean };
  }
}

function addHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const existing = headers[name];
  if (name === 'set-cookie') {
    headers['set-cookie'] = [...((existing as string[] | undefined) ?? []), value];
  } else if (existing === undefined) {
    headers[name] = value;
  } else if (!singleValued.has(name)) {
    headers[name] = `${existing as string}, ${value}`;
  }
}

function tokens(value: string | string[] | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

function keepAliveHint(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = /(?:^|[,\s])timeout=(\d+)/i.exec(value)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}
