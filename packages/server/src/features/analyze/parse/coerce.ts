import { compileSchemaPattern, type JsonSchema, type JsonValue } from '@structured-prompt/gateway';
import { escapePointerSegment, isPlainObject } from '../schema-walk.ts';
import { convertType, isoDate, matchEnumText, readDate } from './coerce-scalars.ts';
import {
  declaredTypes,
  fitsShape,
  jsonEqual,
  matchesType,
  resolveLocalRef,
  type SchemaObject,
} from './schema-view.ts';

export interface Coerced {
  value: JsonValue;
  /** One line per change, e.g. `coerced /age from "42" to 42`. Empty when nothing changed. */
  coercions: string[];
}

/** Schema nesting followed at most; deeper data is left as it is. */
const maxDepth = 48;
/** Schema-and-value pairs visited at most: a bound on `anyOf` trials over recursive schemas. */
const maxSteps = 100_000;

/**
 * Reads a parsed answer the way its schema asks (the idea of BAML's schema-aligned parsing): strings
 * holding numbers or booleans, a single value where an array is wanted, an enum value in other case
 * or inside a sentence, a date in another common spelling. Only mismatches are touched, the input is
 * not modified, and the caller keeps the result only when it then validates.
 */
export function coerceToSchema(value: JsonValue, schema: JsonSchema): Coerced {
  const coercer = new Coercer(schema);
  return { value: coercer.walk(value, schema, '', 0), coercions: coercer.coercions };
}

class Coercer {
  readonly coercions: string[] = [];
  readonly #root: unknown;
  #steps = 0;

  constructor(root: unknown) {
    this.#root = root;
  }

  walk(value: JsonValue, schema: unknown, path: string, depth: number): JsonValue {
    this.#steps += 1;
    if (depth > maxDepth || this.#steps > maxSteps || !isPlainObject(schema)) return value;
    let current = value;
    if (typeof schema.$ref === 'string') {
      const target = resolveLocalRef(this.#root, schema.$ref);
      if (target !== undefined) current = this.walk(current, target, path, depth + 1);
    }
    if (Array.isArray(schema.allOf))
      for (const part of schema.allOf) current = this.walk(current, part, path, depth + 1);
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
    if (Array.isArray(branches)) current = this.#branch(current, branches, path, depth);
    current = this.#shape(current, schema, path);
    return this.#children(current, schema, path, depth);
  }

  /** Into the first branch the value already fits; else the first one a coercion makes it fit. */
  #branch(value: JsonValue, branches: unknown[], path: string, depth: number): JsonValue {
    const view = (branch: unknown) =>
      isPlainObject(branch) && typeof branch.$ref === 'string'
        ? resolveLocalRef(this.#root, branch.$ref)
        : branch;
    const fitting = branches.find((branch) => fitsShape(value, view(branch)));
    if (fitting !== undefined) return this.walk(value, fitting, path, depth + 1);
    for (const branch of branches) {
      const mark = this.coercions.length;
      const result = this.walk(value, branch, path, depth + 1);
      if (this.coercions.length > mark && fitsShape(result, view(branch))) return result;
      this.coercions.length = mark;
    }
    return value;
  }

  /** Type, enum, const and `format: date` at this node. */
  #shape(value: JsonValue, schema: SchemaObject, path: string): JsonValue {
    let current = value;
    const types = declaredTypes(schema);
    if (types !== undefined && !types.some((type) => matchesType(current, type)))
      current = this.#retype(current, types, path);
    const allowed = Array.isArray(schema.enum)
      ? schema.enum
      : Object.hasOwn(schema, 'const')
        ? [schema.const]
        : undefined;
    if (allowed !== undefined && typeof current === 'string' && !allowed.some((a) => jsonEqual(a, current))) {
      const match = matchEnumText(current, allowed);
      if (match !== undefined) current = this.#record(path, current, match, 'allowed value');
    }
    if (schema.format === 'date' && typeof current === 'string' && !isoDate.test(current)) {
      const date = readDate(current);
      if (date !== undefined) current = this.#record(path, current, date, 'format: date');
    }
    return current;
  }

  /** A scalar read as another type; a one-item array unwrapped; a single value wrapped last. */
  #retype(value: JsonValue, types: readonly string[], path: string): JsonValue {
    for (const type of types) {
      const converted = convertType(value, type);
      if (converted !== undefined) return this.#record(path, value, converted);
    }
    if (Array.isArray(value) && value.length === 1) {
      const [only] = value as [JsonValue];
      const inner = types.some((type) => matchesType(only, type))
        ? only
        : types.map((type) => convertType(only, type)).find((converted) => converted !== undefined);
      if (inner !== undefined) return this.#record(path, value, inner, 'the only item of an array');
    }
    if (types.includes('array') && !Array.isArray(value))
      return this.#record(path, value, [value], 'a single value where an array is expected');
    return value;
  }

  #children(value: JsonValue, schema: SchemaObject, path: string, depth: number): JsonValue {
    if (Array.isArray(value)) {
      const tuple = Array.isArray(schema.prefixItems)
        ? schema.prefixItems
        : Array.isArray(schema.items)
          ? schema.items
          : [];
      const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
      return value.map((item, index) =>
        this.walk(item, index < tuple.length ? tuple[index] : rest, `${path}/${index}`, depth + 1),
      );
    }
    if (!isPlainObject(value)) return value;
    // fromEntries defines properties, so a `__proto__` key in an answer stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        this.walk(
          item as JsonValue,
          propertySchema(schema, key),
          `${path}/${escapePointerSegment(key)}`,
          depth + 1,
        ),
      ]),
    );
  }

  #record(path: string, from: JsonValue, to: JsonValue, reason?: string): JsonValue {
    const where = path === '' ? 'the answer' : path;
    this.coercions.push(`coerced ${where} from ${show(from)} to ${show(to)}${reason ? ` (${reason})` : ''}`);
    return to;
  }
}

/** The subschema a property's value answers to: `properties`, then `patternProperties`, then the rest. */
function propertySchema(schema: SchemaObject, key: string): unknown {
  if (isPlainObject(schema.properties) && Object.hasOwn(schema.properties, key))
    return schema.properties[key];
  if (isPlainObject(schema.patternProperties)) {
    for (const [pattern, subschema] of Object.entries(schema.patternProperties)) {
      if (safeTest(pattern, key)) return subschema;
    }
  }
  return schema.additionalProperties;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    // The schema's pattern, on the linear-time engine Ajv validates it with.
    return compileSchemaPattern(pattern).test(text);
  } catch {
    return false;
  }
}

function show(value: JsonValue): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
