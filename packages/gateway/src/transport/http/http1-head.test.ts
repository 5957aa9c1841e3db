import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedAnswerError, readAnswerHead } from './http1-head.ts';

/**
 * The reading `readAnswerHead` replaced, kept as the oracle: one regular expression per line, names
 * lower-cased into an object as Node joins repeated headers. `undefined` when it refused the head.
 */
function regexReading(text: string): Record<string, string | string[]> | undefined {
  const lines = text.split('\r\n');
  if (!/^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.test(lines[0] ?? '')) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) return undefined;
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    const existing = headers[name];
    if (name === 'set-cookie') headers[name] = [...((existing as string[] | undefined) ?? []), value];
    else if (existing === undefined) headers[name] = value;
    else if (name !== 'content-length' && name !== 'content-type' && name !== 'retry-after')
      headers[name] = `${existing as string}, ${value}`;
  }
  return headers;
}

function tryRead(text: string) {
  try {
    return readAnswerHead(text);
  } catch (error) {
    if (error instanceof MalformedAnswerError) return undefined;
    throw error;
  }
}

describe('readAnswerHead', () => {
  it('picks out the framing headers in any case, joined when repeated, and builds the rest on demand', () => {
    const head = readAnswerHead(
      'HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 12 \r\nContent-Length: 99\r\nConnection:\tkeep-alive\r\n' +
        'connection: Upgrade\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: gzip\r\n' +
        'transfer-encoding: chunked\r\nX-Request-Id:  abc  \r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty:',
    );
    expect(head).toMatchObject({
      statusCode: 200,
      http11: true,
      contentLength: '12',
      connection: 'keep-alive, Upgrade',
      keepAlive: 'timeout=5',
      transferEncoding: 'gzip, chunked',
    });
    expect(head.headers).toEqual({
      'content-length': '12',
      connection: 'keep-alive, Upgrade',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'gzip, chunked',
      'x-request-id': 'abc',
      'set-cookie': ['a=1', 'b=2'],
      'x-empty': '',
    });
    expect(head.headers).toBe(head.headers);
  });

  it('reads a head without headers, and an HTTP/1.0 status line', () => {
    const head = readAnswerHead('HTTP/1.0 404 Not Found');
    expect(head).toMatchObject({ statusCode: 404, http11: false, contentLength: undefined });
    expect(head.headers).toEqual({});
  });

  it.each([
    ['a name with a space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 5'],
    ['a folded continuation line', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  continued'],
    ['a line without a colon', 'HTTP/1.1 200 OK\r\nno colon here'],
    ['an empty name', 'HTTP/1.1 200 OK\r\n: value'],
    ['a bare LF in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0'],
    ['a bare CR in a value', 'HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2'],
    ['a non-ASCII name', 'HTTP/1.1 200 OK\r\nX-\u00e9: 1'],
    ['a status line that is not HTTP/1.x', 'HTTP/2 200\r\nX-A: 1'],
  ])('refuses %s', (_why, text) => {
    expect(() => readAnswerHead(text)).toThrow(MalformedAnswerError);
  });

  it('accepts and refuses the same heads as the regular expressions it replaced, with the same headers', () => {
    const piece = fc.constantFrom(
      'Content-Length',
      'connection',
      'Keep-Alive',
      'Transfer-Encoding',
      'Set-Cookie',
      'X-Id',
      'content-type',
      ':',
      ' ',
      '\t',
      '\r',
      '\n',
      'a',
      '7',
      ',',
      '\u00e9',
      '"',
      '(',
    );
    const line = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const text = ['HTTP/1.1 200 OK', ...lines].join('\r\n');
        const expected = regexReading(text);
        const head = tryRead(text);
        if (expected === undefined) {
          expect(head).toBeUndefined();
          return;
        }
        expect(head?.headers).toEqual(expected);
        const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
        expect(head?.contentLength).toBe(first(expected['content-length']));
        expect(head?.connection).toBe(expected.connection);
        expect(head?.keepAlive).toBe(expected['keep-alive']);
        expect(head?.transferEncoding).toBe(expected['transfer-encoding']);
      }),
      { numRuns: 2000 },
    );
  });
});
