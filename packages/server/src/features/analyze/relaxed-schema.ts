import type { FieldError } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import { declaredPropertyNames, resolveLocalRef } from './parse/schema-view.ts';
import { isPlainObject, subschemasOf } from './schema-walk.ts';

/**
 * Error kinds relaxed validation may waive: a field that is missing, or a field the schema did not
 * expect. Everything else (wrong type, out of range, bad format, enum) stays an error, because data
 * of the wrong shape is worse than data with a gap.
 */
const relaxableKeywords: ReadonlySet<string> = new Set([
  'required',
  'dependentRequired',
  'dependencies',
  'additionalProperties',
  'unevaluatedProperties',
]);

/**
 * Whether relaxed validation may apply to these errors: only when every one of them is of a
 * relaxable kind. `dependencies` counts only for its array (required-like) form; its schema form
 * reports the nested keywords' own errors, which decide.
 */
export function isRelaxable(errors: readonly FieldError[]): boolean {
  return (
    errors.length > 0 &&
    errors.every((error) => error.keyword !== undefined && relaxableKeywords.has(error.keyword))
  );
}

/**
 * The relaxed form of a schema: at every level `required`, `dependentRequired` and the array form of
 * `dependencies` are dropped, and `additionalProperties: false` / `unevaluatedProperties: false` are
 * removed so extra properties pass. All other constraints are kept. The input is not modified.
 */
export function deriveRelaxedSchema(schema: JsonSchema): JsonSchema {
  const copy = structuredClone(schema) as JsonSchema;
  relaxInPlace(copy);
  return copy;
}

function relaxInPlace(schema: unknown): void {
  if (!isPlainObject(schema)) return;
  delete schema.required;
  delete schema.dependentRequired;
  if (schema.additionalProperties === false) delete schema.additionalProperties;
  if (schema.unevaluatedProperties === false) delete schema.unevaluatedProperties;
  if (isPlainObject(schema.dependencies)) {
    for (const [name, value] of Object.entries(schema.dependencies)) {
      if (Array.isArray(value)) delete schema.dependencies[name];
    }
  }
  for (const entry of subschemasOf(schema)) relaxInPlace(entry.schema);
}

/**
 * Whether an answer is about the schema at all: an object answer must hold at least one property the
 * schema declares for it (directly or through `$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`),
 * and so must every object item of an array answer. Relaxed validation makes fields optional; it must
 * not pass `{}` or an object of invented keys. True when the schema declares no properties there.
 */
export function answersTheSchema(schema: JsonSchema, answer: unknown): boolean {
  if (!Array.isArray(answer)) return holdsDeclaredProperty(schema, schema, answer);
  const view =
    isPlainObject(schema) && typeof schema.$ref === 'string' ? resolveLocalRef(schema, schema.$ref) : schema;
  const items = isPlainObject(view) ? view.items : undefined;
  return answer.every((item) => holdsDeclaredProperty(schema, items, item));
}

function holdsDeclaredProperty(root: unknown, schema: unknown, value: unknown): boolean {
  if (!isPlainObject(value)) return true;
  const names = declaredPropertyNames(root, schema);
  return names.size === 0 || Object.keys(value).some((key) => names.has(key));
}
