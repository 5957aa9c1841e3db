import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import secureJson from 'secure-json-parse';
import { AppError } from '../../lib/app-error.ts';

/**
 * Replaces Fastify's JSON parser with a stricter one: invalid UTF-8 is refused rather than turned into
 * U+FFFD, NUL characters (raw or escaped) are refused because they truncate strings in C-based
 * consumers and databases, and `__proto__`/`constructor` keys are refused (prototype poisoning).
 */
export const strictJsonPlugin = fp(
  async (app: FastifyInstance) => {
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      /^application\/([\w.+-]+\+)?json$/,
      { parseAs: 'buffer' },
      (_request, body, done) => {
        const buffer = body as Buffer;
        if (buffer.length === 0) {
          done(new AppError('invalid_json', 'The body is empty but the content type says JSON.'), undefined);
          return;
        }
        if (!isUtf8(buffer)) {
          done(new AppError('invalid_json', 'The body is not valid UTF-8.'), undefined);
          return;
        }
        const text = buffer.toString('utf8');
        if (text.includes('\u0000') || /\\u0000/i.test(text)) {
          done(new AppError('bad_request', 'NUL characters are not accepted in the body.'), undefined);
          return;
        }
        try {
          done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
        } catch {
          done(new AppError('invalid_json', 'The body is not valid JSON.'), undefined);
        }
      },
    );
  },
  { name: 'strict-json' },
);
