import type { JsonSchema } from '../spec/json-schema.ts';
import { isSchemaNode, resolveLocalRef, type SchemaNode } from './schema-walk.ts';

export interface InlineOptions {
  /** How many times one definition may be expanded inside itself before the recursion is cut. */
  maxRecursion: number;
  /** Replacement for a reference cut off by the recursion limit; `undefined` removes the property. */
  onCut: (ref: string, path: string) => JsonSchema | undefined;
  onUnresolved: (ref: string, path: string) => void;
}

/**
 * Replaces local `$ref`s by the schemas they point to, for targets that cannot follow references
 * (Gemini) or where unbounded recursion would let generation run forever (local grammar).
 * Recursive definitions are expanded `maxRecursion` times and then cut by `onCut`.
 */
export function inlineRefs(schema: JsonSchema, options: InlineOptions): JsonSchema {
  return expand(schema, schema, '', new Map(), options) ?? true;
}

function expand(
  node: JsonSchema,
  root: JsonSchema,
  path: string,
  active: Map<string, number>,
  options: InlineOptions,
): JsonSchema | undefined {
  if (!isSchemaNode(node)) return node;
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const depth = active.get(ref) ?? 0;
    if (depth >= options.maxRecursion) return options.onCut(ref, path);
    const target = resolveLocalRef(root, ref);
    if (target === undefined) {
      options.onUnresolved(ref, path);
      return true;
    }
    const { $ref: _ref, ...siblings } = node;
    active.set(ref, depth + 1);
    const expanded = expand(target, root, path, active, options);
    active.set(ref, depth);
    if (expanded === undefined) return undefined;
    if (!isSchemaNode(expanded)) return expanded;
    const { $defs: _defs, definitions: _definitions, ...rest } = expanded;
    return { ...rest, ...siblings };
  }
  const out: SchemaNode = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === '$defs' || keyword === 'definitions') continue;
    if (keyword === 'properties' && isSchemaNode(value)) {
      const properties: SchemaNode = {};
      const removed: string[] = [];
      for (const [name, property] of Object.entries(value)) {
        const expanded = expand(property as JsonSchema, root, `${path}/properties/${name}`, active, options);
        if (expanded === undefined) removed.push(name);
        else properties[name] = expanded;
      }
      out.properties = properties;
      if (removed.length > 0 && Array.isArray(node.required)) {
        out.required = (node.required as string[]).filter((name) => !removed.includes(name));
      }
    } else if (keyword === 'required' && 'required' in out) {
      // already filtered together with the properties
    } else if ((keyword === 'items' || keyword === 'additionalProperties') && isSchemaNode(value)) {
      const expanded = expand(value, root, `${path}/${keyword}`, active, options);
      if (expanded === undefined && keyword === 'items') out.maxItems = 0;
      else if (expanded !== undefined) out[keyword] = expanded;
      else out[keyword] = false;
    } else if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(keyword) && Array.isArray(value)) {
      const branches = value
        .map((branch, index) =>
          expand(branch as JsonSchema, root, `${path}/${keyword}/${index}`, active, options),
        )
        .filter((branch) => branch !== undefined);
      out[keyword] = branches;
    } else {
      out[keyword] = value;
    }
  }
  return out;
}
