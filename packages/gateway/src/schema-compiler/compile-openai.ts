import type { JsonSchema } from '../spec/json-schema.ts';
import { annotationKeywords, type CompiledSchema, WarningList } from './compiled-schema.ts';
import {
  allowsNull,
  childPath,
  isSchemaNode,
  nestingDepth,
  resolveLocalRef,
  type SchemaNode,
  typesOf,
} from './schema-walk.ts';
import { addedNullPointers, nullable } from './strict-nullable.ts';

/** OpenAI's published limits for strict structured outputs. */
const maxNestingDepth = 10;
const maxProperties = 5000;
const maxEnumValues = 1000;

/** String formats the strict subset accepts; any other format is dropped and validated afterwards. */
const strictFormats = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);

/** Keywords copied unchanged into the strict schema. */
const copiedKeywords = new Set([
  'type',
  'description',
  'enum',
  'pattern',
  'multipleOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
]);

/** Assertions outside the strict subset: dropped from the request, kept for post-validation. */
const droppedKeywords = new Set([
  'minLength',
  'maxLength',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentEncoding',
  'contentMediaType',
]);

/** Thrown inside the transformation when the schema cannot be made strict at all. */
class NotStrict extends Error {}

interface Context {
  warnings: WarningList;
  propertyCount: number;
  enumValueCount: number;
  /** Compiled property schemas the compiler made nullable: answers may carry nulls to remove there. */
  widened: WeakSet<SchemaNode>;
  /** Whether the canonical schema a `$ref` points to admits null already. */
  refAdmitsNull: (ref: string) => boolean;
}

/**
 * Compiles for OpenAI chat completions (and OpenAI-compatible servers): strict `json_schema` when
 * the schema fits or can be transformed to fit (optional → required + nullable, closed objects,
 * unsupported assertions dropped and reported), otherwise JSON mode with the schema in the prompt.
 */
export function compileForOpenAi(schema: JsonSchema): CompiledSchema {
  const warnings = new WarningList('openai');
  const context: Context = {
    warnings,
    propertyCount: 0,
    enumValueCount: 0,
    widened: new WeakSet(),
    refAdmitsNull: (ref) => refAdmitsNull(schema, ref),
  };
  try {
    if (isSchemaNode(schema) && Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      schema = { ...rest, ...mergeAllOf(allOf as JsonSchema[], '') };
    }
    if (!isSchemaNode(schema) || typesOf(schema).join() !== 'object') {
      throw new NotStrict('the top level is not an object');
    }
    if (nestingDepth(schema) > maxNestingDepth) throw new NotStrict(`nesting deeper than ${maxNestingDepth}`);
    const compiled = strictify(schema, '', context, true);
    const definitions = {
      ...(schema.definitions as object | undefined),
      ...(schema.$defs as object | undefined),
    };
    if (Object.keys(definitions).length > 0) {
      const defs: Record<string, SchemaNode> = {};
      for (const [name, definition] of Object.entries(definitions)) {
        defs[name] = strictify(definition as JsonSchema, childPath('/$defs', name), context, false);
      }
      compiled.$defs = defs;
    }
    if (context.propertyCount > maxProperties) throw new NotStrict(`more than ${maxProperties} properties`);
    if (context.enumValueCount > maxEnumValues) throw new NotStrict(`more than ${maxEnumValues} enum values`);
    const addedNulls = addedNullPointers(compiled, context.widened);
    return {
      target: 'openai',
      mode: 'strict-json-schema',
      schema: compiled,
      warnings: warnings.items,
      ...(addedNulls.length > 0 ? { addedNulls } : {}),
    };
  } catch (error) {
    if (!(error instanceof NotStrict)) throw error;
    return {
      target: 'openai',
      mode: 'json-mode',
      schema: undefined,
      warnings: [
        `openai: strict structured output not possible (${error.message}); using JSON mode, the schema is checked after generation`,
      ],
    };
  }
}

function strictify(schema: JsonSchema, path: string, context: Context, isRoot: boolean): SchemaNode {
  if (!isSchemaNode(schema)) throw new NotStrict(`${path || '/'} is a boolean schema`);
  const out: SchemaNode = {};
  const types = typesOf(schema);
  for (const [keyword, value] of Object.entries(schema)) {
    if (copiedKeywords.has(keyword)) {
      out[keyword] = value;
      if (keyword === 'enum' && Array.isArray(value)) context.enumValueCount += value.length;
    } else if (keyword === 'const') {
      out.enum = [value];
    } else if (keyword === 'format') {
      if (typeof value === 'string' && strictFormats.has(value)) out.format = value;
      else context.warnings.dropped(path, `format: ${String(value)}`);
    } else if (keyword === '$ref') {
      // Strict mode follows JSON Pointers only; a reference by $id or anchor would be refused.
      if (typeof value !== 'string' || !/^#(\/|$)/.test(value)) {
        throw new NotStrict(`${path || '/'} refers to "${String(value)}" by $id or anchor`);
      }
      out.$ref = value.replace(/^#\/definitions\//, '#/$defs/');
    } else if (keyword === 'items') {
      if (!isSchemaNode(value)) throw new NotStrict(`${path || '/'} uses tuple or boolean items`);
      out.items = strictify(value, childPath(path, 'items'), context, false);
    } else if (keyword === 'anyOf' || keyword === 'oneOf') {
      if (isRoot) throw new NotStrict(`the top level is a union (${keyword})`);
      const branches = (value as JsonSchema[]).map((branch, index) =>
        strictify(branch, childPath(path, keyword, index), context, false),
      );
      out.anyOf = [...((out.anyOf as SchemaNode[] | undefined) ?? []), ...branches];
      if (keyword === 'oneOf')
        context.warnings.add(`${path || '/'}: oneOf sent as anyOf; exclusivity checked after generation`);
    } else if (keyword === 'allOf') {
      Object.assign(out, strictify(mergeAllOf(value as JsonSchema[], path), path, context, isRoot));
    } else if (droppedKeywords.has(keyword)) {
      context.warnings.dropped(path, keyword);
    } else if (keyword === 'prefixItems') {
      throw new NotStrict(`${path || '/'} is a tuple (prefixItems)`);
    } else if (
      !annotationKeywords.has(keyword) &&
      !['properties', 'required', 'additionalProperties', '$defs', 'definitions'].includes(keyword)
    ) {
      context.warnings.dropped(path, keyword);
    }
  }
  if (!isRoot && ('$defs' in schema || 'definitions' in schema)) {
    throw new NotStrict(`${path || '/'} has nested definitions`);
  }
  if (types.includes('object')) closeObject(schema, out, path, context);
  if (Object.keys(out).every((keyword) => keyword === 'description')) {
    throw new NotStrict(`${path || '/'} accepts any value`);
  }
  return out;
}

/** Strict mode needs every property required and no additional properties. */
function closeObject(schema: SchemaNode, out: SchemaNode, path: string, context: Context): void {
  const properties = isSchemaNode(schema.properties) ? schema.properties : {};
  const names = Object.keys(properties);
  const additional = schema.additionalProperties;
  if (names.length === 0 && additional !== false) {
    throw new NotStrict(`${path || '/'} is a free-form object or map`);
  }
  if (additional !== undefined && additional !== false) {
    context.warnings.add(`${path || '/'}: additional properties are allowed but will not be generated`);
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const name of required) {
    // Strict mode has no schema for "any value", and leaving it out would make the object unsatisfiable.
    if (!Object.hasOwn(properties, name)) {
      throw new NotStrict(`${path || '/'}: "${name}" is required but has no schema under properties`);
    }
  }
  const compiled: Record<string, SchemaNode> = {};
  for (const name of names) {
    context.propertyCount += 1;
    const property = strictify(
      properties[name] as JsonSchema,
      childPath(path, 'properties', name),
      context,
      false,
    );
    if (required.has(name)) compiled[name] = property;
    else {
      compiled[name] = nullable(property, context.refAdmitsNull);
      if (compiled[name] !== property) context.widened.add(compiled[name]);
    }
  }
  out.type = out.type ?? 'object';
  out.properties = compiled;
  out.required = names;
  out.additionalProperties = false;
}

/** Whether the canonical definition a compiled `$ref` (`#/$defs/x`, once `#/definitions/x`) names admits null. */
function refAdmitsNull(root: JsonSchema, ref: string): boolean {
  const candidates = [ref, ref.replace(/^#\/\$defs\//, '#/definitions/')];
  return candidates.some((candidate) => {
    const target = resolveLocalRef(root, candidate);
    return isSchemaNode(target) && allowsNull(target);
  });
}

/** `allOf` of plain objects merges into one object; anything else is beyond the strict subset. */
export function mergeAllOf(branches: JsonSchema[], path: string): SchemaNode {
  const merged: SchemaNode = { type: 'object', properties: {}, required: [] };
  for (const branch of branches) {
    if (!isSchemaNode(branch) || typesOf(branch).join() !== 'object' || branch.$ref !== undefined) {
      throw new NotStrict(`${path || '/'} uses allOf beyond plain objects`);
    }
    const properties = merged.properties as Record<string, unknown>;
    for (const [name, property] of Object.entries((branch.properties as object | undefined) ?? {})) {
      if (name in properties) throw new NotStrict(`${path || '/'} allOf branches both define "${name}"`);
      properties[name] = property;
    }
    (merged.required as string[]).push(...((branch.required as string[] | undefined) ?? []));
    if (branch.additionalProperties === false) merged.additionalProperties = false;
  }
  return merged;
}
