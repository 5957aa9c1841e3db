import { createRequire } from 'node:module';
import type { FastifyReply } from 'fastify';

/** Header names to values, as Fastify keeps them for a reply until it writes the head. */
export type HeaderBag = Record<string, string>;

/**
 * Fastify keeps a reply's headers in a plain object under a symbol of its own and hands that object
 * to `writeHead`. `reply.header()` lower-cases each name and stores it through one keyed access shared
 * by every name the app ever sets, which V8 can only serve through its megamorphic stub: about 900
 * instructions per header, twelve headers on every cache hit (ADR 0024). Writing constant lower-case
 * names straight into that object is a plain property store on a shape every reply shares.
 *
 * The symbol is Fastify's own (the same module instance Fastify uses), read once. Should an upgrade
 * move it, `replyHeaders` falls back to a proxy that forwards every store to `reply.header()`: slower,
 * never wrong. A unit test fails if the direct path is lost, so the slowdown cannot go unnoticed.
 */
const kReplyHeaders = findReplyHeadersSymbol();

function findReplyHeadersSymbol(): symbol | undefined {
  try {
    const symbols = createRequire(import.meta.url)('fastify/lib/symbols.js') as { kReplyHeaders?: unknown };
    return typeof symbols.kReplyHeaders === 'symbol' ? symbols.kReplyHeaders : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `replyHeaders` writes Fastify's own header object (true on the pinned Fastify). */
export const directReplyHeaders = kReplyHeaders !== undefined;

/**
 * The reply's header object, for setting **lower-case** names other than `set-cookie` (which Fastify
 * folds into an array): `replyHeaders(reply)['x-request-id'] = id`. Later `reply.header()` calls see
 * what was stored here, and the other way round.
 */
export function replyHeaders(reply: FastifyReply): HeaderBag {
  if (kReplyHeaders !== undefined) {
    const bag = (reply as unknown as Record<symbol, unknown>)[kReplyHeaders];
    if (bag !== null && typeof bag === 'object') return bag as HeaderBag;
  }
  return forwardingHeaders(reply);
}

/** The fallback: every store goes through `reply.header()`. Exported so a test can hold it to that. */
export function forwardingHeaders(reply: FastifyReply): HeaderBag {
  return new Proxy({} as HeaderBag, {
    set(_target, name, value: string) {
      if (typeof name === 'string') reply.header(name, value);
      return true;
    },
    get(_target, name) {
      return typeof name === 'string' ? reply.getHeader(name) : undefined;
    },
  });
}
