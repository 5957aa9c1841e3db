import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** True when the client asked for server-sent events (`Accept: text/event-stream`). */
export function acceptsEventStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes('text/event-stream');
}

/**
 * A server-sent-events answer. Writes wait while the client's socket is full (backpressure), and
 * `signal` aborts when the client goes away before the stream ended, so the work behind it stops.
 */
export class EventStream {
  readonly signal: AbortSignal;
  readonly #body = new PassThrough();
  readonly #controller = new AbortController();
  #ended = false;

  /** Starts the answer: status 200, the event-stream headers, and the body, written as events come. */
  constructor(reply: FastifyReply) {
    this.signal = this.#controller.signal;
    // The response closes when it ended or when the connection dropped; only the latter cancels.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) this.#controller.abort(new Error('the client closed the stream'));
    });
    reply
      .code(200)
      .headers({
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      })
      .send(this.#body);
  }

  /** One event (`event:` only when named); resolves once the client can take more. */
  async send(data: string, event?: string): Promise<void> {
    const lines = data.split('\n').map((line) => `data: ${line}`);
    await this.#write(`${event === undefined ? '' : `event: ${event}\n`}${lines.join('\n')}\n\n`);
  }

  /** A comment line: keeps proxies from closing an idle stream, ignored by clients. */
  comment(text: string): Promise<void> {
    return this.#write(`: ${text}\n\n`);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#body.end();
  }

  async #write(chunk: string): Promise<void> {
    if (this.#ended || this.signal.aborted) return;
    if (this.#body.write(chunk)) return;
    await Promise.race([once(this.#body, 'drain'), once(this.signal, 'abort')]);
  }
}
