import type { JsonSchema } from '../spec/json-schema.ts';
import { mergeAllOf } from './compile-openai.ts';
import { annotationKeywords, type CompiledSchema, WarningList } from './compiled-schema.ts';
import { inlineRefs } from './inline-refs.ts';
import { childPath, isSchemaNode, type SchemaNode, typesOf } from './schema-walk.ts';

/** Caps that make every generation under the grammar finite, whatever the model's weights. */
export interface GrammarCaps {
  /** Longest string the grammar allows where the schema sets no smaller `maxLength`. */
  maxStringLength: number;
  /** Most array items where the schema sets no smaller `maxItems`. */
  maxArrayItems: number;
  /** How many times a recursive definition is unrolled before it is cut. */
  maxRecursion: number;
  /**
   * Ceilings on what a schema's `minLength` and `minItems` can make the grammar require: the grammar
   * grows with them, so a larger minimum is cut here (with a warning) and checked after generation.
   */
  ceilingStringLength: number;
  ceilingArrayItems: number;
}

export const defaultGrammarCaps: GrammarCaps = {
  maxStringLength: 200,
  maxArrayItems: 8,
  maxRecursion: 2,
  ceilingStringLength: 4000,
  ceilingArrayItems: 100,
};

const grammarFormats = new Set(['date-time', 'time', 'date']);
const primitiveTypes = ['string', 'number', 'integer', 'boolean', 'null'];

/**
 * Compiles for node-llama-cpp's JSON-schema grammar. References are inlined with recursion cut,
 * unions become `oneOf`, and every string and array gets a length cap: a random or confused model
 * would otherwise write one endless string. Numeric bounds and patterns are checked afterwards.
 */
export function compileForLocal(schema: JsonSchema, caps: GrammarCaps = defaultGrammarCaps): CompiledSchema {
  const warnings = new WarningList('local');
  const inlined = inlineRefs(schema, {
    maxRecursion: caps.maxRecursion,
    onCut: (ref, path) => {
      warnings.add(`${path || '/'}: recursive "${ref}" unrolled ${caps.maxRecursion} levels deep`);
      return undefined;
    },
    onUnresolved: (ref, path) => warnings.add(`${path || '/'}: unresolved "${ref}" accepts any value`),
  });
  return {
    target: 'local',
    mode: 'grammar',
    schema: convert(inlined, '', caps, warnings),
    warnings: warnings.items,
  };
}

function convert(schema: JsonSchema, path: string, caps: GrammarCaps, warnings: WarningList): SchemaNode {
  if (!isSchemaNode(schema)) return anyValue(caps);
  let node = schema;
  if (Array.isArray(node.allOf)) {
    try {
      node = { ...node, ...mergeAllOf(node.allOf as JsonSchema[], path) };
    } catch {
      const first = (node.allOf as JsonSchema[])[0] as JsonSchema;
      warnings.add(
        `${path || '/'}: allOf generated from its first branch; the rest is checked after generation`,
      );
      node = isSchemaNode(first) ? { ...node, ...first } : node;
    }
    delete (node as { allOf?: unknown }).allOf;
  }
  const description = typeof node.description === 'string' ? { description: node.description } : {};
  if (node.const !== undefined) return { const: node.const, ...description };
  if (Array.isArray(node.enum)) return { enum: node.enum, ...description };
  const branches = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(branches)) {
    if (node.oneOf) warnings.add(`${path || '/'}: oneOf exclusivity checked after generation`);
    return {
      oneOf: branches.map((branch, index) =>
        convert(branch, childPath(path, 'anyOf', index), caps, warnings),
      ),
      ...description,
    };
  }
  const types = typesOf(node);
  if (types.length === 0) return { ...anyValue(caps), ...description };
  if (types.length > 1) {
    // A type list cannot carry per-type caps, so it becomes a union of single-type schemas.
    return { oneOf: types.map((type) => convert({ ...node, type }, path, caps, warnings)), ...description };
  }
  reportDropped(node, path, warnings);
  switch (types[0]) {
    case 'string':
      return convertString(node, path, caps, warnings, description);
    case 'array':
      return convertArray(node, path, caps, warnings, description);
    case 'object':
      return convertObject(node, path, caps, warnings, description);
    default:
      return { type: types[0] as string, ...description };
  }
}

function convertString(
  node: SchemaNode,
  path: string,
  caps: GrammarCaps,
  warnings: WarningList,
  description: SchemaNode,
): SchemaNode {
  if (typeof node.format === 'string') {
    if (grammarFormats.has(node.format)) return { type: 'string', format: node.format, ...description };
    warnings.dropped(path, `format: ${node.format}`);
  }
  if (typeof node.pattern === 'string') warnings.dropped(path, 'pattern');
  const minLength = ceiled(node.minLength, caps.ceilingStringLength, `${path || '/'}: minLength`, warnings);
  const maxLength = Math.max(
    minLength,
    Math.min(numberOr(node.maxLength, caps.maxStringLength), caps.maxStringLength),
  );
  return { type: 'string', ...(minLength > 0 ? { minLength } : {}), maxLength, ...description };
}

function convertArray(
  node: SchemaNode,
  path: string,
  caps: GrammarCaps,
  warnings: WarningList,
  description: SchemaNode,
): SchemaNode {
  const minItems = ceiled(node.minItems, caps.ceilingArrayItems, `${path || '/'}: minItems`, warnings);
  const maxItems = Math.max(
    minItems,
    Math.min(numberOr(node.maxItems, caps.maxArrayItems), caps.maxArrayItems),
  );
  const out: SchemaNode = { type: 'array', maxItems, ...description };
  if (minItems > 0) out.minItems = minItems;
  if (Array.isArray(node.prefixItems)) {
    out.prefixItems = node.prefixItems.map((item, index) =>
      convert(item as JsonSchema, childPath(path, 'prefixItems', index), caps, warnings),
    );
  }
  out.items =
    node.items === undefined
      ? anyValue(caps)
      : convert(node.items as JsonSchema, childPath(path, 'items'), caps, warnings);
  if (node.uniqueItems === true) warnings.dropped(path, 'uniqueItems');
  return out;
}

function convertObject(
  node: SchemaNode,
  path: string,
  caps: GrammarCaps,
  warnings: WarningList,
  description: SchemaNode,
): SchemaNode {
  const properties: SchemaNode = {};
  for (const [name, property] of Object.entries(isSchemaNode(node.properties) ? node.properties : {})) {
    properties[name] = convert(property as JsonSchema, childPath(path, 'properties', name), caps, warnings);
  }
  const out: SchemaNode = { type: 'object', properties, ...description };
  if (Array.isArray(node.required)) out.required = node.required;
  const additional = node.additionalProperties;
  if (Object.keys(properties).length === 0 && additional !== false) {
    // A map: a few entries of the declared value type keep it finite.
    out.additionalProperties = isSchemaNode(additional)
      ? convert(additional, childPath(path, 'additionalProperties'), caps, warnings)
      : anyValue(caps);
    out.maxProperties = Math.min(numberOr(node.maxProperties, caps.maxArrayItems), caps.maxArrayItems);
  } else {
    out.additionalProperties = false;
  }
  return out;
}

/** Any JSON value, kept finite: primitives only, strings capped. */
function anyValue(caps: GrammarCaps): SchemaNode {
  return {
    oneOf: primitiveTypes.map((type) =>
      type === 'string' ? { type, maxLength: caps.maxStringLength } : { type },
    ),
  };
}

function reportDropped(node: SchemaNode, path: string, warnings: WarningList): void {
  const handled = new Set([
    'type',
    'description',
    'properties',
    'required',
    'additionalProperties',
    'items',
    'prefixItems',
    'minItems',
    'maxItems',
    'minLength',
    'maxLength',
    'format',
    'pattern',
    'maxProperties',
    'uniqueItems',
  ]);
  for (const keyword of Object.keys(node)) {
    if (!handled.has(keyword) && !annotationKeywords.has(keyword)) warnings.dropped(path, keyword);
  }
}

/** A schema minimum as the grammar may require it: at most `ceiling`, with a warning when cut. */
function ceiled(value: unknown, ceiling: number, what: string, warnings: WarningList): number {
  const minimum = typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.ceil(value)) : 0;
  if (minimum <= ceiling) return minimum;
  warnings.add(`${what} ${minimum} cut to ${ceiling} in the grammar; checked after generation`);
  return ceiling;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
