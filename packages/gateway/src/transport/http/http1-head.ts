import type { IncomingHttpHeaders } from 'node:http';

/** What the server sent that is not HTTP/1.1 we can read: the connection is not reused. */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
  readonly code = 'HPE_INVALID';
}

/** The head of an answer: its status, what decides the body's framing and reuse, and its headers. */
export interface AnswerHead {
  statusCode: number;
  /** HTTP/1.1 (true) or HTTP/1.0. */
  http11: boolean;
  /** The framing headers, repeated ones joined as `headers` joins them; `undefined` when absent. */
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  connection: string | undefined;
  keepAlive: string | undefined;
  /** Every header, lower-cased, built when first read. */
  readonly headers: IncomingHttpHeaders;
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

const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/;

/** RFC 9110 `tchar`, by character code: what a header name may consist of. */
const tokenCharacter = new Uint8Array(128);
for (const character of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  tokenCharacter[character.charCodeAt(0)] = 1;

const space = 0x20;
const tab = 0x09;

/**
 * Reads an answer head (the text before the empty line, decoded as latin1). Every header line is
 * checked as it is read, but only the four that frame the body and decide reuse are picked out;
 * the headers object is built the first time someone reads `headers`. A successful completion is
 * read without anyone asking for its headers, and vendors send 15–25 of them (rate-limit figures,
 * request ids, CDN fields): building the object cost a hash lookup of each fresh name on top of a
 * regular expression per line, about 4,600 instructions per answer for the bench's five headers.
 */
export function readAnswerHead(text: string): AnswerHead {
  let end = text.indexOf('\r\n');
  if (end < 0) end = text.length;
  const status = statusLine.exec(text.slice(0, end));
  if (!status) throw new MalformedAnswerError('the answer does not start with an HTTP/1.x status line');
  const head = new Head(text, end + 2, Number(status[2]), status[1] === '1');
  while (end < text.length) {
    const start = end + 2;
    end = text.indexOf('\r\n', start);
    if (end < 0) end = text.length;
    const colon = checkedColon(text, start, end);
    // Only names of these lengths can frame the body: the length is compared before any lower-casing.
    const nameLength = colon - start;
    if (nameLength !== 10 && nameLength !== 14 && nameLength !== 17) continue;
    const name = text.slice(start, colon).toLowerCase();
    if (name === 'content-length') head.contentLength ??= headerValue(text, colon, end);
    else if (name === 'transfer-encoding')
      head.transferEncoding = joined(head.transferEncoding, text, colon, end);
    else if (name === 'connection') head.connection = joined(head.connection, text, colon, end);
    else if (name === 'keep-alive') head.keepAlive = joined(head.keepAlive, text, colon, end);
  }
  return head;
}

class Head implements AnswerHead {
  readonly statusCode: number;
  readonly http11: boolean;
  contentLength: string | undefined = undefined;
  transferEncoding: string | undefined = undefined;
  connection: string | undefined = undefined;
  keepAlive: string | undefined = undefined;
  readonly #text: string;
  readonly #from: number;
  #headers: IncomingHttpHeaders | undefined;

  constructor(text: string, from: number, statusCode: number, http11: boolean) {
    this.#text = text;
    this.#from = from;
    this.statusCode = statusCode;
    this.http11 = http11;
  }

  get headers(): IncomingHttpHeaders {
    this.#headers ??= headerObject(this.#text, this.#from);
    return this.#headers;
  }
}

/**
 * The colon's index in a header line `text[start, end)`; throws unless the line is a token, a colon
 * and a value without a bare CR or LF (which would let one header smuggle in another).
 */
function checkedColon(text: string, start: number, end: number): number {
  const colon = text.indexOf(':', start);
  if (colon <= start || colon >= end) throw notAHeader();
  for (let index = start; index < colon; index++) {
    const code = text.charCodeAt(index);
    if (code >= 128 || tokenCharacter[code] === 0) throw notAHeader();
  }
  const cr = text.indexOf('\r', colon);
  const lf = text.indexOf('\n', colon);
  if ((cr >= 0 && cr < end) || (lf >= 0 && lf < end)) throw notAHeader();
  return colon;
}

function notAHeader(): MalformedAnswerError {
  return new MalformedAnswerError('the answer has a header line that is not a header');
}

/** The value after `colon`, without the spaces and tabs around it. */
function headerValue(text: string, colon: number, end: number): string {
  let from = colon + 1;
  while (from < end && isBlank(text.charCodeAt(from))) from++;
  let to = end;
  while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
  return text.slice(from, to);
}

function isBlank(code: number): boolean {
  return code === space || code === tab;
}

function joined(existing: string | undefined, text: string, colon: number, end: number): string {
  const value = headerValue(text, colon, end);
  return existing === undefined ? value : `${existing}, ${value}`;
}

/** Every header line from `from` on, lower-cased and joined as Node joins them. Lines were checked. */
function headerObject(text: string, from: number): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (let end = from - 2; end < text.length; ) {
    const start = end + 2;
    end = text.indexOf('\r\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    const name = text.slice(start, colon).toLowerCase();
    const value = headerValue(text, colon, end);
    const existing = headers[name];
    if (name === 'set-cookie') {
      headers['set-cookie'] = [...((existing as string[] | undefined) ?? []), value];
    } else if (existing === undefined) {
      headers[name] = value;
    } else if (!singleValued.has(name)) {
      headers[name] = `${existing as string}, ${value}`;
    }
  }
  return headers;
}
