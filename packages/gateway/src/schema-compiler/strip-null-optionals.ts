import type { JsonSchema } from '../spec/json-schema.ts';
import { allowsNull, isSchemaNode, resolveLocalRef, type SchemaNode } from './schema-walk.ts';

/**
 * Strict OpenAI schemas turn optional properties into required nullable ones. The canonical schema
 * does not allow those nulls, so they are removed again, guided by the canonical schema: a property
 * is dropped when its value is null, it is not required and its own schema does not admit null.
 * Text that does not parse is returned unchanged for the lenient parser to deal with.
 */
export function stripNullOptionals(text: string, schema: JsonSchema): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return text;
  }
  const changed = strip(data, schema, schema, 0);
  return changed ? JSON.stringify(data) : text;
}

/** Walks data and schema together; returns whether anything was removed. */
function strip(data: unknown, schema: JsonSchema, root: JsonSchema, depth: number): boolean {
  if (depth > 64 || !isSchemaNode(schema) || data === null || typeof data !== 'object') return false;
  const node = dereference(schema, root);
  if (!node) return false;
  let changed = false;
  if (Array.isArray(data)) {
    if (node.items !== undefined) {
      for (const item of data) changed = strip(item, node.items as JsonSchema, root, depth + 1) || changed;
    }
    return changed;
  }
  const record = data as Record<string, unknown>;
  const properties = collectProperties(node, root);
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  for (const [name, property] of Object.entries(properties)) {
    if (!(name in record)) continue;
    const resolved = isSchemaNode(property) ? dereference(property, root) : undefined;
    if (record[name] === null && !required.has(name) && resolved && !allowsNull(resolved)) {
      delete record[name];
      changed = true;
    } else {
      changed = strip(record[name], property as JsonSchema, root, depth + 1) || changed;
    }
  }
  return changed;
}

function dereference(schema: SchemaNode, root: JsonSchema): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (let hops = 0; node && typeof node.$ref === 'string' && hops < 16; hops += 1) {
    const target = resolveLocalRef(root, node.$ref);
    node = isSchemaNode(target) ? target : undefined;
  }
  return node;
}

/** Properties of an object schema including those contributed by `allOf` branches. */
function collectProperties(node: SchemaNode, root: JsonSchema): Record<string, unknown> {
  const properties: Record<string, unknown> = { ...(isSchemaNode(node.properties) ? node.properties : {}) };
  if (Array.isArray(node.allOf)) {
    for (const branch of node.allOf) {
      const resolved = isSchemaNode(branch) ? dereference(branch, root) : undefined;
      if (resolved && isSchemaNode(resolved.properties)) Object.assign(properties, resolved.properties);
    }
  }
  return properties;
}
