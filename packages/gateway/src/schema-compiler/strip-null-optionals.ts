import type { CompiledSchema } from './compiled-schema.ts';
import { childPath, isSchemaNode, resolveLocalRef, type SchemaNode, typesOf } from './schema-walk.ts';

/** Most `$ref` hops followed in a row; local refs of a strict schema point at `$defs` entries. */
const maxRefHops = 16;

/**
 * Strict OpenAI schemas turn optional properties into required nullable ones. The canonical schema
 * does not allow those nulls, so they are removed again — exactly where the compiler added them
 * (`compiled.addedNulls`, pointers into the compiled schema), following the answer through the
 * compiled schema: into properties, items, `$ref`s, and the `anyOf` branch the answer matches. A
 * null the original schema allows was never added, so it stays. Text that does not parse is
 * returned unchanged for the lenient parser to deal with.
 */
export function stripAddedNulls(text: string, compiled: CompiledSchema): string {
  const added = new Set(compiled.addedNulls ?? []);
  if (added.size === 0 || compiled.schema === undefined) return text;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return text;
  }
  const walker = new NullStripper(compiled.schema, added);
  walker.strip(data, compiled.schema, '');
  return walker.changed ? JSON.stringify(data) : text;
}

class NullStripper {
  readonly #root: SchemaNode;
  readonly #added: ReadonlySet<string>;
  changed = false;

  constructor(root: SchemaNode, added: ReadonlySet<string>) {
    this.#root = root;
    this.#added = added;
  }

  /** Removes added nulls from `data`, which the compiled `schema` at `pointer` describes. */
  strip(data: unknown, schema: unknown, pointer: string): void {
    if (data === null || typeof data !== 'object') return;
    const target = resolve(this.#root, schema, pointer);
    if (target === undefined) return;
    const { node, at } = target;
    if (Array.isArray(node.anyOf)) {
      const index = node.anyOf.findIndex((branch) => matches(this.#root, data, branch, 0));
      if (index >= 0) this.strip(data, node.anyOf[index], childPath(at, 'anyOf', index));
      return;
    }
    if (Array.isArray(data)) {
      if (node.items !== undefined) for (const item of data) this.strip(item, node.items, `${at}/items`);
      return;
    }
    if (!isSchemaNode(node.properties)) return;
    const record = data as Record<string, unknown>;
    for (const [name, value] of Object.entries(record)) {
      const propertyAt = childPath(at, 'properties', name);
      if (value === null && this.#added.has(propertyAt)) {
        delete record[name];
        this.changed = true;
      } else if (Object.hasOwn(node.properties, name)) {
        this.strip(value, node.properties[name], propertyAt);
      }
    }
  }
}

/** The schema node `schema` stands for, `$ref`s followed, with its pointer in the compiled schema. */
function resolve(
  root: SchemaNode,
  schema: unknown,
  pointer: string,
): { node: SchemaNode; at: string } | undefined {
  let node = schema;
  let at = pointer;
  for (let hops = 0; isSchemaNode(node) && typeof node.$ref === 'string'; hops += 1) {
    if (hops >= maxRefHops || !node.$ref.startsWith('#')) return undefined;
    at = decodeURIComponent(node.$ref.slice(1));
    node = resolveLocalRef(root, node.$ref);
  }
  return isSchemaNode(node) ? { node, at } : undefined;
}

/**
 * Whether `data` has the shape a compiled strict schema describes: types, enum values, and exactly
 * the declared properties (strict objects require all of them and allow no others). Value bounds,
 * patterns and formats are not checked: they only tell branches apart that add the same nulls.
 */
function matches(root: SchemaNode, data: unknown, schema: unknown, depth: number): boolean {
  const target = resolve(root, schema, '');
  if (target === undefined || depth > 64) return false;
  const { node } = target;
  if (Array.isArray(node.anyOf)) return node.anyOf.some((branch) => matches(root, data, branch, depth + 1));
  if (
    Array.isArray(node.enum) &&
    !node.enum.some((value) => JSON.stringify(value) === JSON.stringify(data))
  ) {
    return false;
  }
  const types = typesOf(node);
  if (types.length > 0 && !types.some((type) => hasType(data, type))) return false;
  if (Array.isArray(data)) {
    return node.items === undefined || data.every((item) => matches(root, item, node.items, depth + 1));
  }
  if (data === null || typeof data !== 'object' || !isSchemaNode(node.properties)) return true;
  const properties = node.properties;
  const keys = Object.keys(data);
  return (
    keys.length === Object.keys(properties).length &&
    keys.every(
      (key) =>
        Object.hasOwn(properties, key) &&
        matches(root, (data as Record<string, unknown>)[key], properties[key], depth + 1),
    )
  );
}

function hasType(data: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return data !== null && typeof data === 'object' && !Array.isArray(data);
    case 'integer':
      return Number.isInteger(data);
    default:
      return typeof data === type;
  }
}
