import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { type ErrorCode, errorCodes, problemType } from '@structured-prompt/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { v7 as newId } from 'uuid';
import { problemContentType } from './plugins/error-handler.ts';

/** A socket that is answering a request already has a response object attached by Node's server. */
interface ServerSocket extends Socket {
  _httpMessage?: { headersSent?: boolean } | null;
}

/** How long a client may take to read the refusal and close its side before the socket is destroyed. */
const lingerMs = 5000;

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refused (malformed, headers too large,
 * too slow) gets a problem document with `Connection: close`, and the connection is then ended, so a
 * keep-alive client knows not to send anything more on it. Fastify's default answered without the
 * header and reset the socket, which made pooled clients retry on a dead connection.
 */
export function answerClientError(
  this: { log: FastifyBaseLogger },
  error: Error & { code?: string },
  socket: ServerSocket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = codeOf(error);
  const requestId = newId();
  this.log.debug({ err: error, request_id: requestId, code }, 'client error');
  // Part of an answer already went out: another status line would corrupt it.
  if (!socket.writable || socket._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(render(code, requestId));
  setTimeout(() => socket.destroy(), lingerMs).unref();
}

function codeOf(error: { code?: string }): ErrorCode {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'headers_too_large';
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request_timeout';
  return 'bad_request';
}

function render(code: ErrorCode, requestId: string): string {
  const { status, title } = errorCodes[code];
  const body = JSON.stringify({
    type: problemType(code),
    title,
    status,
    detail: 'The request could not be read as HTTP; the connection is closed.',
    code,
    request_id: requestId,
  });
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    `Content-Type: ${problemContentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    `X-Request-ID: ${requestId}`,
    '',
    body,
  ].join('\r\n');
}
