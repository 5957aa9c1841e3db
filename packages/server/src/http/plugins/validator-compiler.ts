import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request validation with two Ajv instances: bodies are checked strictly (a JSON number is not a
 * string, nothing is coerced), while query strings, params and headers — which arrive as text — are
 * coerced to the declared types. Fastify's default uses one coercing instance for everything, which
 * would accept `{"prompt": 42}` as the string "42".
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const base = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
  const strict = new Ajv({ ...base, coerceTypes: false });
  const coercing = new Ajv({ ...base, coerceTypes: 'array' });
  addFormats.default(strict);
  addFormats.default(coercing);
  const compiled = new WeakMap<object, ValidateFunction>();
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    const key = schema as object;
    let validate = compiled.get(key);
    if (!validate) {
      // Schemas with an $id are registered once per instance; reuse them instead of adding twice.
      const id = (schema as { $id?: string }).$id;
      validate = (id && ajv.getSchema(id)) || ajv.compile(schema as object);
      compiled.set(key, validate);
    }
    return validate as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
