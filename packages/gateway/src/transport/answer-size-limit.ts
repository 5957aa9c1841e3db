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
 * The response with a body that errors once more than `maxBytes` have been read, so a broken or
 * hostile endpoint cannot make us buffer an unbounded answer. A declared length over the limit fails
 * before anything is read; erroring the stream cancels the download and releases the connection.
 */
export function limitAnswerSize(response: Response, maxBytes: number): Response {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    void response.body?.cancel();
    throw new OversizedAnswerError(maxBytes);
  }
  if (response.body === null) return response;
  let received = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) throw new OversizedAnswerError(maxBytes);
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** The `OversizedAnswerError` that `error` is, or was caused by (the AI SDK wraps it). */
export function oversizedAnswerIn(error: unknown): OversizedAnswerError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current instanceof OversizedAnswerError) return current;
    current = current.cause;
  }
  return undefined;
}
