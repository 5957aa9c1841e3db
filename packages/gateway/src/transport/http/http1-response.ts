import type { IncomingHttpHeaders } from 'node:http';
import { type AnswerHead, MalformedAnswerError, readAnswerHead } from './http1-head.ts';

export { MalformedAnswerError };

/** A vendor answer larger than this is refused: a misbehaving server must not fill our memory. */
export const maxAnswerBytes = 16 * 1024 * 1024;
/** Status line and headers together; Node's own parser allows 16 KB, vendors send far less. */
export const maxHeadBytes = 64 * 1024;

export class OversizedAnswerError extends Error {
  override readonly name = 'OversizedAnswerError';
}

export interface ParsedAnswer {
  statusCode: number;
  /** Lower-cased names, built when first read (see `readAnswerHead`). */
  readonly headers: IncomingHttpHeaders;
  body: Buffer;
  /** The connection may carry the next request. */
  reusable: boolean;
  /** From `Keep-Alive: timeout=N`, in ms, when the server announced one. */
  keepAliveMs?: number;
}

const headEnd = Buffer.from('\r\n\r\n');
const lineEnd = Buffer.from('\r\n');

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
  #head: { head: AnswerHead; reusable: boolean; keepAliveMs: number | undefined } | undefined;
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
    const head = readAnswerHead(text);
    const { statusCode } = head;
    // Interim answers (100 Continue, 103 Early Hints) precede the real one.
    if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) return;
    const reusable = head.http11
      ? !hasToken(head.connection, 'close')
      : hasToken(head.connection, 'keep-alive');
    this.#head = { head, reusable, keepAliveMs: keepAliveHint(head.keepAlive) };
    this.#framing = this.#framingOf(head);
  }

  #framingOf(head: AnswerHead): BodyFraming {
    const { statusCode, transferEncoding: transfer, contentLength: length } = head;
    if (this.#noBody || statusCode === 204 || statusCode === 304) return { kind: 'none' };
    if (transfer !== undefined) {
      if (tokens(transfer).at(-1) !== 'chunked') return { kind: 'until-close' };
      return { kind: 'chunked', step: 'size', remaining: 0 };
    }
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
    const { head, reusable, keepAliveMs } = this.#head!;
    const body = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#bodyBytes);
    return new Answer(head, body, reusable && clean, keepAliveMs);
  }
}

class Answer implements ParsedAnswer {
  readonly statusCode: number;
  readonly body: Buffer;
  readonly reusable: boolean;
  readonly keepAliveMs: number | undefined;
  readonly #head: AnswerHead;

  constructor(head: AnswerHead, body: Buffer, reusable: boolean, keepAliveMs: number | undefined) {
    this.#head = head;
    this.statusCode = head.statusCode;
    this.body = body;
    this.reusable = reusable;
    this.keepAliveMs = keepAliveMs;
  }

  get headers(): IncomingHttpHeaders {
    return this.#head.headers;
  }
}

/** Whether a comma-separated header value lists `token` (lower case), in any case. */
function hasToken(value: string | undefined, token: string): boolean {
  if (value === undefined) return false;
  // The usual value is the one token alone.
  if (value.length === token.length && value.toLowerCase() === token) return true;
  return tokens(value).includes(token);
}

function tokens(value: string | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
}

function keepAliveHint(value: string | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const seconds = /(?:^|[,\s])timeout=(\d+)/i.exec(value)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}
