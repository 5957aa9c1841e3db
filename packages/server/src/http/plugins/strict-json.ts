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
          done(
            poisoningKeyError(text) ?? new AppError('invalid_json', 'The body is not valid JSON.'),
            undefined,
          );
        }
      },
    );
  },
  { name: 'strict-json' },
);

/**
 * For valid JSON that was refused for a `__proto__` key (or a `constructor` holding a `prototype`), an
 * error that says so and where; undefined when the text is not JSON at all. `JSON.parse` makes such
 * keys plain own properties, so finding them is safe.
 */
function poisoningKeyError(text: string): AppError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const found = findPoisoningKey(value);
  if (found === undefined) return undefined;
  const key = found.slice(found.lastIndexOf('/') + 1);
  return new AppError(
    'bad_request',
    `The body has a property named "${key}" at ${found}. Such keys are refused to protect the service ` +
      `against prototype poisoning; a schema cannot declare a property called "__proto__" (or a ` +
      '"constructor" that holds a "prototype"). Rename the property.',
    { errors: [{ path: found, message: `property name "${key}" is not accepted`, keyword: 'propertyName' }] },
  );
}

/** JSON Pointer of the first poisoning key, walked without recursion (bodies may nest deeply). */
function findPoisoningKey(root: unknown): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (key === '__proto__') return childPath;
      if (key === 'constructor' && child !== null && typeof child === 'object' && 'prototype' in child) {
        return childPath;
      }
      pending.push({ value: child, path: childPath });
    }
  }
  return undefined;
}
