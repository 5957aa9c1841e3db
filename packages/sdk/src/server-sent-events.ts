/** One dispatched server-sent event: its type (`message` when unnamed), its data and its last id. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string;
}

/**
 * Reads an event stream as the HTML Living Standard describes it: lines end in CRLF, LF or CR;
 * lines starting with `:` are comments; `data` lines of one event are joined with newlines; a blank
 * line dispatches the event (none when it had no data); one space after the colon is dropped.
 */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new EventParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
  } finally {
    // Leaving early (break, an error, abort) closes the connection instead of draining it.
    await reader.cancel().catch(() => undefined);
  }
}

class EventParser {
  #buffer = '';
  #pendingCr = false;
  #data: string[] = [];
  #event = '';
  #lastId = '';

  *push(chunk: string): Generator<ServerSentEvent> {
    let text = chunk;
    // A CR that ended the previous chunk may be the first half of a CRLF.
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    for (;;) {
      const end = this.#buffer.search(/[\r\n]/);
      if (end === -1) return;
      const line = this.#buffer.slice(0, end);
      let next = end + 1;
      if (this.#buffer[end] === '\r') {
        if (end + 1 === this.#buffer.length) this.#pendingCr = true;
        else if (this.#buffer[end + 1] === '\n') next = end + 2;
      }
      this.#buffer = this.#buffer.slice(next);
      const event = this.#line(line);
      if (event) yield event;
    }
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id' && !value.includes('\0')) this.#lastId = value;
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return undefined;
    return { event: event || 'message', data: data.join('\n'), id: this.#lastId };
  }
}
