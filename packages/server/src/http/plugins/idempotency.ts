import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.ts';
import type { IdempotencyRepository } from '../../platform/idempotency/idempotency.repository.ts';
import { requireAuth } from './auth.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Honour the Idempotency-Key header on this route (Stripe's semantics). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { apiKeyId: string; key: string };
  }
}

export interface IdempotencyPluginOptions {
  repository: IdempotencyRepository;
  /** How long an answer is replayed. */
  ttlMs: number;
  /** How long an unanswered request holds its key (then a retry may run it). */
  lockMs: number;
}

const idempotencyKeyHeader = 'idempotency-key';
const replayedHeader = 'idempotent-replayed';
/** Answer headers stored with the body and sent again on a replay. */
const keptHeaders = ['content-type', 'location'];
const keyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * Idempotency-Key on routes with `config: { idempotent: true }`, scoped per API key and stored in the
 * database (so it holds across replicas): the same key and request within the window replays the first
 * answer with `Idempotent-Replayed: true`; the same key with another request is a 422; while the first
 * request runs, a repeat is a 409. Server errors (5xx) are not stored, so a retry runs again.
 */
export const idempotencyPlugin = fp<IdempotencyPluginOptions>(
  async (app: FastifyInstance, options) => {
    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.idempotent) return;
      const header = request.headers[idempotencyKeyHeader];
      if (header === undefined) return;
      return begin(request, reply, header, options);
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const held = request.idempotency;
      if (!held) return payload;
      request.idempotency = undefined;
      if (reply.statusCode >= 500 || typeof payload !== 'string') {
        await options.repository.abandon(held.apiKeyId, held.key).catch(() => {});
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of keptHeaders) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await options.repository.complete(held.apiKeyId, held.key, {
        status: reply.statusCode,
        headers,
        body: payload,
      });
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth'] },
);

async function begin(
  request: FastifyRequest,
  reply: FastifyReply,
  header: string | string[],
  options: IdempotencyPluginOptions,
): Promise<FastifyReply | undefined> {
  const key = Array.isArray(header) ? undefined : header;
  if (key === undefined || !keyPattern.test(key)) {
    throw new AppError(
      'bad_request',
      'Idempotency-Key must be 1 to 255 visible ASCII characters, sent once.',
    );
  }
  const { key: apiKey } = requireAuth(request);
  const fingerprint = sha256Hex(
    `${request.method} ${request.routeOptions.url}\n${canonicalJson(request.body ?? null)}`,
  );
  const result = await options.repository.begin({
    apiKeyId: apiKey.id,
    key,
    fingerprint,
    lockMs: options.lockMs,
    ttlMs: options.ttlMs,
  });
  switch (result.kind) {
    case 'started':
      request.idempotency = { apiKeyId: apiKey.id, key };
      return undefined;
    case 'replay':
      return reply
        .code(result.response.status)
        .headers(result.response.headers)
        .header(replayedHeader, 'true')
        .send(result.response.body);
    case 'mismatch':
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    default:
      throw new AppError('conflict', 'A request with this Idempotency-Key is still running; retry later.', {
        headers: { 'retry-after': '1' },
      });
  }
}
