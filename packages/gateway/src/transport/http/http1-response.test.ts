import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Http1ResponseParser,
  MalformedAnswerError,
  maxAnswerBytes,
  maxHeadBytes,
  OversizedAnswerError,
  type ParsedAnswer,
} from './http1-response.ts';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** Feeds `wire` in the given pieces; returns the answer and how many pushes produced one. */
function parse(wire: Buffer, cuts: number[] = [], options: { noBody?: boolean; end?: boolean } = {}) {
  const parser = new Http1ResponseParser(options.noBody);
  const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((a, b) => a - b);
  let answer: ParsedAnswer | undefined;
  let answers = 0;
  let from = 0;
  for (const point of [...points, wire.length]) {
    if (point <= from) continue;
    const got = parser.push(wire.subarray(from, point));
    if (got) {
      answer = got;
      answers++;
    }
    from = point;
  }
  if (options.end) {
    const got = parser.end();
    if (got) {
      answer = got;
      answers++;
    }
  }
  return { answer, answers };
}

const chunked =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '7;ext=1\r\n{"a":1,\r\n' +
  'a\r\n"b":"xyz"}\r\n' +
  '0\r\nX-Trailer: yes\r\n\r\n';

describe('Http1ResponseParser', () => {
  it('reads a Content-Length answer and keeps the connection for the next request', () => {
    const { answer } = parse(bytes('HTTP/1.1 201 Created\r\ncontent-length: 5\r\nX-Id: 7\r\n\r\nhello'));
    expect(answer?.statusCode).toBe(201);
    expect(answer?.headers).toEqual({ 'content-length': '5', 'x-id': '7' });
    expect(answer?.body.toString()).toBe('hello');
    expect(answer?.reusable).toBe(true);
  });

  it('reads a chunked answer, with chunk extensions and trailers, however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        const { answer, answers } = parse(bytes(chunked), cuts);
        expect(answers).toBe(1);
        expect(answer?.body.toString()).toBe('{"a":1,"b":"xyz"}');
        expect(answer?.reusable).toBe(true);
      }),
    );
  });

  it('reads a Content-Length answer however the bytes are split', () => {
    const wire = bytes('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"ok":true}');
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        const { answer, answers } = parse(wire, cuts);
        expect(answers).toBe(1);
        expect(answer?.body.toString()).toBe('{"ok":true}');
      }),
    );
  });

  it('skips interim 1xx answers', () => {
    const { answer } = parse(
      bytes(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
      ),
    );
    expect(answer?.statusCode).toBe(200);
    expect(answer?.headers.link).toBeUndefined();
    expect(answer?.body.toString()).toBe('ok');
  });

  it('reads until the connection ends when the answer has no length, and does not reuse it', () => {
    const wire = bytes('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it');
    expect(parse(wire).answer).toBeUndefined();
    const { answer } = parse(wire, [], { end: true });
    expect(answer?.body.toString()).toBe('all of it');
    expect(answer?.reusable).toBe(false);
  });

  it('gives 204, 304 and the answer to a HEAD no body, even with a Content-Length', () => {
    expect(parse(bytes('HTTP/1.1 204 No Content\r\n\r\n')).answer?.body.length).toBe(0);
    expect(parse(bytes('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n')).answer?.statusCode).toBe(
      304,
    );
    const head = parse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n'), [], { noBody: true });
    expect(head.answer?.body.length).toBe(0);
    expect(head.answer?.reusable).toBe(true);
  });

  it('decides reuse from the version and Connection, and reads the Keep-Alive timeout', () => {
    const close = parse(bytes('HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n')).answer;
    expect(close?.reusable).toBe(false);
    const old = parse(bytes('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')).answer;
    expect(old?.reusable).toBe(false);
    const oldKept = parse(
      bytes(
        'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 0\r\n\r\n',
      ),
    ).answer;
    expect(oldKept?.reusable).toBe(true);
    expect(oldKept?.keepAliveMs).toBe(5000);
  });

  it('does not reuse a connection that sent bytes past the answer', () => {
    const { answer } = parse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'));
    expect(answer?.body.toString()).toBe('ok');
    expect(answer?.reusable).toBe(false);
  });

  it('joins repeated headers as Node does: set-cookie a list, single-valued ones kept once', () => {
    const { answer } = parse(
      bytes(
        'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nVary: accept\r\nVary: origin\r\n' +
          'Content-Type: application/json\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    expect(answer?.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer?.headers.vary).toBe('accept, origin');
    expect(answer?.headers['content-type']).toBe('application/json');
  });

  it('refuses what is not HTTP/1.x it can read', () => {
    expect(() => parse(bytes('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(MalformedAnswerError);
    expect(() => parse(bytes('HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'))).toThrow(MalformedAnswerError);
    expect(() => parse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n'))).toThrow(
      MalformedAnswerError,
    );
    expect(() => parse(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow(
      MalformedAnswerError,
    );
    expect(() => parse(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n'))).toThrow(
      MalformedAnswerError,
    );
    expect(() => parse(Buffer.alloc(maxHeadBytes + 1, 'a'))).toThrow(MalformedAnswerError);
  });

  it('refuses an answer larger than maxAnswerBytes, announced or sent in chunks', () => {
    expect(() => parse(bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${maxAnswerBytes + 1}\r\n\r\n`))).toThrow(
      OversizedAnswerError,
    );
    const parser = new Http1ResponseParser();
    parser.push(bytes('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'));
    const chunk = Buffer.concat([bytes('100000\r\n'), Buffer.alloc(0x100000, 'x'), bytes('\r\n')]);
    expect(() => {
      for (let sent = 0; sent <= maxAnswerBytes; sent += 0x100000) parser.push(chunk);
    }).toThrow(OversizedAnswerError);
  });

  it('returns nothing for a connection cut before the answer ended', () => {
    const parser = new Http1ResponseParser();
    expect(parser.push(bytes('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'))).toBeUndefined();
    expect(parser.end()).toBeUndefined();
  });
});
