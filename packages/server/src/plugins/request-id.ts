import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Incoming ids are echoed only when they look like ids: bounded length, no spaces or control bytes. */
const acceptableRequestId = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const requestIdHeader = 'x-request-id';

/** Fastify `genReqId`: reuse a well-formed `X-Request-ID` from the caller, otherwise mint a UUID. */
export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers[requestIdHeader];
  if (typeof incoming === 'string' && acceptableRequestId.test(incoming)) return incoming;
  return randomUUID();
}
