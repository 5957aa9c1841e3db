import type { JsonSchema } from '../spec/json-schema.ts';
import { isSchemaNode, type SchemaNode } from './schema-walk.ts';

/** Keywords holding one subschema. */
const singleKeywords = new Set([
  'not',
  'if',
  'then',
  'else',
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
/** Keywords holding an array of subschemas. */
const arrayKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
/** Keywords holding named subschemas. */
const mapKeywords = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  // Values are subschemas or (left as they are) arrays of property names.
  'dependencies',
]);

/**
 * The schema with the forms only older drafts allow rewritten to their 2020-12 equivalents, which is
 * what vendors' schema dialects build on: draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum`
 * become numbers, and a tuple `items` array (draft-04 to 2019-09) becomes `prefixItems`, with
 * `additionalItems` as the new `items`. draft-04's `id` is left out: targets resolve references by
 * JSON Pointer only, and 2020-12 validators refuse the keyword. Apart from a string `id`, these forms
 * are invalid in 2020-12, so a 2020-12 schema comes back equal. Data keywords (`const`, `enum`,
 * `default`, `examples`) are never touched.
 */
export function toCurrentDraft(schema: JsonSchema): JsonSchema {
  if (!isSchemaNode(schema)) return schema;
  const out: SchemaNode = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'items' && Array.isArray(value)) out.prefixItems = value.map(toCurrentDraft);
    else if (keyword === 'additionalItems' || (keyword === 'id' && typeof value === 'string')) continue;
    else if (arrayKeywords.has(keyword) && Array.isArray(value)) out[keyword] = value.map(toCurrentDraft);
    else if (singleKeywords.has(keyword)) out[keyword] = toCurrentDraft(value as JsonSchema);
    else if (mapKeywords.has(keyword) && isSchemaNode(value)) out[keyword] = mapValues(value);
    else out[keyword] = value;
  }
  if (Array.isArray(schema.items) && schema.additionalItems !== undefined) {
    out.items = toCurrentDraft(schema.additionalItems as JsonSchema);
  }
  exclusiveBound(out, 'exclusiveMinimum', 'minimum');
  exclusiveBound(out, 'exclusiveMaximum', 'maximum');
  return out;
}

function mapValues(map: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  for (const [name, value] of Object.entries(map)) out[name] = toCurrentDraft(value as JsonSchema);
  return out;
}

/** draft-04 `{minimum: 5, exclusiveMinimum: true}` is 2020-12 `{exclusiveMinimum: 5}`. */
function exclusiveBound(node: SchemaNode, exclusive: string, inclusive: string): void {
  if (typeof node[exclusive] !== 'boolean') return;
  if (node[exclusive] === true && typeof node[inclusive] === 'number') {
    node[exclusive] = node[inclusive];
    delete node[inclusive];
  } else {
    delete node[exclusive];
  }
}
