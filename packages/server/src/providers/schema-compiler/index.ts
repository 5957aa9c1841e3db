import type { JsonSchema } from '../../lib/json-schema-types.ts';
import { compileForAnthropic } from './compile-anthropic.ts';
import { compileForGemini } from './compile-gemini.ts';
import { compileForLocal, type GrammarCaps } from './compile-local.ts';
import { compileForOpenAi } from './compile-openai.ts';
import type { CompiledSchema, SchemaTarget } from './compiled-schema.ts';

export { compileForAnthropic, wrapperProperty } from './compile-anthropic.ts';
export { compileForGemini } from './compile-gemini.ts';
export { compileForLocal, defaultGrammarCaps, type GrammarCaps } from './compile-local.ts';
export { compileForOpenAi } from './compile-openai.ts';
export type { CompiledSchema, CompileMode, SchemaTarget } from './compiled-schema.ts';
export { stripNullOptionals } from './strip-null-optionals.ts';

/** One canonical schema, compiled for the target about to be called. */
export function compileSchema(schema: JsonSchema, target: SchemaTarget, caps?: GrammarCaps): CompiledSchema {
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
