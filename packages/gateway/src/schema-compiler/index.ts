import type { JsonSchema } from '../spec/json-schema.ts';
import { compileForAnthropic } from './compile-anthropic.ts';
import { compileForGemini } from './compile-gemini.ts';
import { compileForLocal, type GrammarCaps } from './compile-local.ts';
import { compileForOpenAi } from './compile-openai.ts';
import type { CompiledSchema, SchemaTarget } from './compiled-schema.ts';
import { toCurrentDraft } from './current-draft.ts';

export { compileForLocal, defaultGrammarCaps, type GrammarCaps } from './compile-local.ts';
export type { CompiledSchema, SchemaTarget } from './compiled-schema.ts';
export { stripAddedNulls } from './strip-null-optionals.ts';

/**
 * One canonical schema, in any supported dialect, compiled for the target about to be called. Older
 * drafts' forms are rewritten to 2020-12 first: vendors' schema dialects build on it.
 */
export function compileSchema(
  canonical: JsonSchema,
  target: SchemaTarget,
  caps?: GrammarCaps,
): CompiledSchema {
  const schema = toCurrentDraft(canonical);
  switch (target) {
    case 'openai':
      return compileForOpenAi(schema);
    case 'anthropic':
      return compileForAnthropic(schema);
    case 'gemini':
      return compileForGemini(schema);
    case 'local':
      return compileForLocal(schema, caps);
  }
}

/**
 * `compileSchema` for one target, memoized per schema object: the default schema (and a registered
 * one) is the same object on every request, so each adapter compiles it once.
 */
export function memoizedCompiler(target: SchemaTarget): (schema: JsonSchema) => CompiledSchema {
  const compiled = new WeakMap<object, CompiledSchema>();
  return (schema) => {
    if (typeof schema !== 'object' || schema === null) return compileSchema(schema, target);
    let result = compiled.get(schema);
    if (!result) {
      result = compileSchema(schema, target);
      compiled.set(schema, result);
    }
    return result;
  };
}
