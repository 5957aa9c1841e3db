import type { JsonSchema } from '../spec/json-schema.ts';
import { mergeAllOf } from './compile-openai.ts';
import { annotationKeywords, type CompiledSchema, WarningList } from './compiled-schema.ts';
import { inlineRefs } from './inline-refs.ts';
import { childPath, isSchemaNode, type SchemaNode, typesOf } from './schema-walk.ts';

/** How deep a recursive definition is unrolled: Gemini's response schema cannot refer to itself. */
const recursionDepth = 3;

/** Formats Gemini's response schema understands, per type. */
const geminiFormats: Record<string, Set<string>> = {
  string: new Set(['date-time', 'enum']),
  integer: new Set(['int32', 'int64']),
  number: new Set(['float', 'double']),
};

/** Keywords that reach Gemini through the AI SDK's OpenAPI conversion. */
const keptKeywords = new Set(['type', 'description', 'required', 'minLength']);

/**
 * Compiles for Gemini `responseSchema` (an OpenAPI 3.0 subset): references inlined (recursion
 * unrolled a few levels), unions as `anyOf`, enums of one primitive type, and every other
 * assertion (patterns, bounds, most formats, closed objects) dropped and checked afterwards.
 */
export function compileForGemini(schema: JsonSchema): CompiledSchema {
  const warnings = new WarningList('gemini');
  const inlined = inlineRefs(schema, {
    maxRecursion: recursionDepth,
    onCut: (ref, path) => {
      warnings.add(`${path || '/'}: recursive "${ref}" unrolled ${recursionDepth} levels deep`);
      return undefined;
    },
    onUnresolved: (ref, path) => warnings.add(`${path || '/'}: unresolved "${ref}" accepts any value`),
  });
  const converted = isSchemaNode(inlined) ? convert(inlined, '', warnings) : undefined;
  if (!converted || Object.keys(converted).length === 0) {
    warnings.add('the schema accepts any value; using JSON mode');
    return { target: 'gemini', mode: 'json-mode', schema: undefined, warnings: warnings.items };
  }
  return { target: 'gemini', mode: 'response-schema', schema: converted, warnings: warnings.items };
}

function convert(node: SchemaNode, path: string, warnings: WarningList): SchemaNode {
  let source = node;
  if (Array.isArray(node.allOf)) {
    try {
      source = { ...node, ...mergeAllOf(node.allOf as JsonSchema[], path) };
    } catch {
      warnings.dropped(path, 'allOf');
    }
    delete (source as { allOf?: unknown }).allOf;
  }
  const out: SchemaNode = {};
  const types = typesOf(source);
  for (const [keyword, value] of Object.entries(source)) {
    if (keptKeywords.has(keyword)) {
      out[keyword] = value;
    } else if (keyword === 'format') {
      if (types.some((type) => geminiFormats[type]?.has(String(value)))) out.format = value;
      else warnings.dropped(path, `format: ${String(value)}`);
    } else if (keyword === 'enum' || keyword === 'const') {
      const values = keyword === 'enum' ? (value as unknown[]) : [value];
      const kinds = new Set(values.filter((item) => item !== null).map((item) => typeof item));
      if (kinds.size === 1 && !kinds.has('object')) out.enum = values;
      else warnings.dropped(path, `${keyword} with mixed value types`);
    } else if (keyword === 'properties' && isSchemaNode(value)) {
      const properties: SchemaNode = {};
      for (const [name, property] of Object.entries(value)) {
        properties[name] = isSchemaNode(property)
          ? convert(property, childPath(path, 'properties', name), warnings)
          : {};
      }
      out.properties = properties;
    } else if (keyword === 'items' && isSchemaNode(value)) {
      out.items = convert(value, childPath(path, 'items'), warnings);
    } else if (keyword === 'anyOf' || keyword === 'oneOf') {
      out.anyOf = (value as JsonSchema[]).map((branch, index) =>
        isSchemaNode(branch) ? convert(branch, childPath(path, keyword, index), warnings) : {},
      );
      if (keyword === 'oneOf')
        warnings.add(`${path || '/'}: oneOf sent as anyOf; exclusivity checked after generation`);
    } else if (keyword === 'additionalProperties') {
      if (value !== false) warnings.dropped(path, 'additionalProperties');
    } else if (!annotationKeywords.has(keyword)) {
      warnings.dropped(path, keyword);
    }
  }
  return out;
}
