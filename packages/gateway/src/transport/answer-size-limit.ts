import type { Readable } from 'node:stream';

/** Largest vendor answer read into memory unless configured otherwise (ADR 0027). */
export const defaultMaxAnswerBytes = 16 * 1024 * 1024;

/** A vendor answer longer than the transport reads; the adapters report it as a malformed response. */
export class OversizedAnswerError extends Error {
  override readonly name = 'OversizedAnswerError';
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/**
 * Reads a whole answer body, refusing one longer than `maxBytes`, so a broken or hostile endpoint
 * cannot make us buffer an unbounded answer. A declared length over the limit fails before anything
 * is read; destroying the body cancels the download and releases the connection.
 */
export async function readBoundedBody(
  body: Readable,
  declaredLength: string | string[] | undefined,
  maxBytes: number,
): Promise<Buffer> {
  if (Number(declaredLength ?? 0) > maxBytes) {
    // Destroying an unread body emits the abort as an error; the refusal below is what we report.
    body.on('error', () => {});
    body.destroy();
    throw new OversizedAnswerError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      body.destroy();
      throw new OversizedAnswerError(maxBytes);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
}

/** The `OversizedAnswerError` that `error` is, or was caused by (the AI SDK wraps it). */
export function oversizedAnswerIn(error: unknown): OversizedAnswerError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof OversizedAnswerError) return current;
    current = current.cause;
  }
  return undefined;
}

/**
 * A streamed answer (server-sent events) as a web stream, read from the vendor only as fast as the
 * consumer pulls, and failed once it passes `maxBytes`. Cancelling it releases the connection.
 */
export function boundedStream(
  body: Readable,
  maxBytes: number,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let received = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next();
        if (done) return controller.close();
        received += value.byteLength;
        if (received > maxBytes) {
          body.destroy();
          return controller.error(new OversizedAnswerError(maxBytes));
        }
        controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } catch (error) {
        controller.error(signal?.aborted ? signal.reason : error);
      }
    },
    cancel() {
      body.destroy();
    },
  });
}
