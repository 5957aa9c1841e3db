import type { JsonSchema } from '../spec/json-schema.ts';

/** A JSON Schema object node (boolean schemas are handled by the callers). */
export type SchemaNode = { [keyword: string]: unknown };

export function isSchemaNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON pointer of a child, for warnings that say exactly where a constraint was dropped. */
export function childPath(path: string, ...segments: Array<string | number>): string {
  return `${path}/${segments.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/**
 * Resolves a local `$ref` (`#`, `#/$defs/x`, `#/definitions/x` or any JSON pointer into the root).
 * Remote references are never fetched: a gateway must not make network calls on behalf of a schema.
 */
export function resolveLocalRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchemaNode(node)) return undefined;
    node = node[part];
  }
  return node === undefined ? undefined : (node as JsonSchema);
}

/** Type names a node admits, from `type` (string or array) or, failing that, from its shape. */
export function typesOf(node: SchemaNode): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type.filter((type): type is string => typeof type === 'string');
  if (isSchemaNode(node.properties) || node.additionalProperties !== undefined) return ['object'];
  if (node.items !== undefined || node.prefixItems !== undefined) return ['array'];
  return [];
}

export function allowsNull(node: SchemaNode): boolean {
  const types = typesOf(node);
  if (types.includes('null')) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  if (node.const === null) return true;
  const branches = [node.anyOf, node.oneOf].find(Array.isArray) as JsonSchema[] | undefined;
  return branches?.some((branch) => isSchemaNode(branch) && allowsNull(branch)) ?? false;
}

/** Deepest nesting of `properties`/`items` levels, following no references. */
export function nestingDepth(node: JsonSchema): number {
  if (!isSchemaNode(node)) return 0;
  let deepest = 0;
  const children: unknown[] = [];
  if (isSchemaNode(node.properties)) children.push(...Object.values(node.properties));
  if (node.items !== undefined) children.push(node.items);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(node[key])) children.push(...(node[key] as unknown[]));
  }
  for (const defs of [node.$defs, node.definitions]) {
    if (!isSchemaNode(defs)) continue;
    for (const def of Object.values(defs)) deepest = Math.max(deepest, nestingDepth(def as JsonSchema));
  }
  for (const child of children) deepest = Math.max(deepest, nestingDepth(child as JsonSchema));
  return (isSchemaNode(node.properties) || node.items !== undefined ? 1 : 0) + deepest;
}
