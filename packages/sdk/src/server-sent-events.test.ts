import { describe, expect, it } from 'vitest';
import { serverSentEvents } from './server-sent-events.ts';

/** A body delivered in exactly these chunks, so line ends split across chunks are exercised. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function parse(...chunks: string[]) {
  const events = [];
  for await (const event of serverSentEvents(body(...chunks))) events.push(event);
  return events;
}

describe('serverSentEvents', () => {
  it('joins multi-line data with newlines and names events', async () => {
    expect(await parse('event: partial\ndata: {"a":\ndata: 1}\n\n')).toEqual([
      { event: 'partial', data: '{"a":\n1}', id: '' },
    ]);
  });

  it('ignores comments and unknown fields, and dispatches nothing for an event without data', async () => {
    expect(await parse(': keep-alive\n\nretry: 10\nfoo: bar\n\ndata:x\n\n')).toEqual([
      { event: 'message', data: 'x', id: '' },
    ]);
  });

  it('accepts CRLF and CR line ends, also when a CRLF is split between chunks', async () => {
    const events = await parse('event: a\r\ndata: 1\r', '\n\r', '\nevent: b\rdata: 2\r\r');
    expect(events).toEqual([
      { event: 'a', data: '1', id: '' },
      { event: 'b', data: '2', id: '' },
    ]);
  });

  it('keeps a multi-byte character split between chunks, and only one leading space', async () => {
    const bytes = new TextEncoder().encode('data:  é\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8));
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    });
    const events = [];
    for await (const event of serverSentEvents(stream)) events.push(event);
    expect(events).toEqual([{ event: 'message', data: ' é', id: '' }]);
  });

  it('drops an unterminated last event and remembers the last id', async () => {
    expect(await parse('id: 7\ndata: a\n\ndata: b\n\ndata: cut')).toEqual([
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7' },
    ]);
  });
});
