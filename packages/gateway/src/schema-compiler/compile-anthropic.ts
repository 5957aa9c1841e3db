import type { JsonSchema } from '../spec/json-schema.ts';
import type { CompiledSchema } from './compiled-schema.ts';
import { isSchemaNode, type SchemaNode, typesOf } from './schema-walk.ts';

/** Property that carries a non-object answer, because a tool's input must be an object. */
const wrapperProperty = 'value';

/**
 * Compiles for Anthropic forced tool use: the schema becomes the input schema of the one tool the
 * model must call. Anthropic accepts full JSON Schema there (references included) but does not
 * decode under it, so nothing is dropped and everything is validated afterwards as usual.
 */
export function compileForAnthropic(schema: JsonSchema): CompiledSchema {
  const source: SchemaNode = isSchemaNode(schema) ? schema : {};
  const { $schema: _schema, $id: _id, ...rest } = source;
  if (typesOf(rest).join() === 'object') {
    return { target: 'anthropic', mode: 'tool', schema: { type: 'object', ...rest }, warnings: [] };
  }
  // Definitions stay at the top so `#/$defs/...` references keep resolving; `#` now means the wrapper.
  const { $defs, definitions, ...inner } = rest;
  const rewritten = JSON.parse(
    JSON.stringify(inner).replaceAll('"$ref":"#"', `"$ref":"#/properties/${wrapperProperty}"`),
  );
  const wrapped: SchemaNode = {
    type: 'object',
    properties: { [wrapperProperty]: schema === true || schema === false ? schema : rewritten },
    required: [wrapperProperty],
    additionalProperties: false,
  };
  if ($defs !== undefined) wrapped.$defs = $defs;
  if (definitions !== undefined) wrapped.definitions = definitions;
  return {
    target: 'anthropic',
    mode: 'tool',
    schema: wrapped,
    wrappedIn: wrapperProperty,
    warnings: [
      `anthropic: the top level is not an object; the answer is wrapped in "${wrapperProperty}" and unwrapped`,
    ],
  };
}
