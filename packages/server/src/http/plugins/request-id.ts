import type { IncomingMessage } from 'node:http';
import { v7 as newId } from 'uuid';

/** Incoming ids are echoed only when they look like ids: bounded length, no spaces or control bytes. */
const acceptableRequestId = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const requestIdHeader = 'x-request-id';

/**
 * Fastify `genReqId`: reuse a well-formed `X-Request-ID` from the caller, otherwise mint a
 * time-ordered UUID (v7). Every request's id lands in the `request_logs.request_id` unique index,
 * where random ids would scatter inserts over the whole index (ADR 0014).
 */
export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers[requestIdHeader];
  if (typeof incoming === 'string' && acceptableRequestId.test(incoming)) return incoming;
  return newId();
}
