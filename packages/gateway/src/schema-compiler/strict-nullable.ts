import { childPath, isSchemaNode, type SchemaNode } from './schema-walk.ts';

/**
 * Optional → required + nullable, for strict mode where every property must be present. Returns the
 * schema itself when it already admits null (`refAdmitsNull` answers for a `$ref`): that null is the
 * original schema's, and must survive the stripping of added nulls.
 */
export function nullable(schema: SchemaNode, refAdmitsNull: (ref: string) => boolean): SchemaNode {
  if (typeof schema.$ref === 'string' && refAdmitsNull(schema.$ref)) return schema;
  if (schema.$ref !== undefined || schema.type === undefined) {
    if (Array.isArray(schema.anyOf)) {
      const branches = schema.anyOf as SchemaNode[];
      if (branches.some((branch) => branch.type === 'null')) return schema;
      return { ...schema, anyOf: [...branches, { type: 'null' }] };
    }
    if (Array.isArray(schema.enum) && schema.$ref === undefined) {
      return schema.enum.includes(null) ? schema : { ...schema, enum: [...schema.enum, null] };
    }
    return { anyOf: [schema, { type: 'null' }] };
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.includes('null')) return schema;
  const out: SchemaNode = { ...schema, type: [...types, 'null'] };
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
  return out;
}

/**
 * JSON Pointers, into the compiled schema, of the properties whose schema is one of `widened` (made
 * nullable by the compiler), found in properties, items, `anyOf` branches and `$defs`.
 */
export function addedNullPointers(root: SchemaNode, widened: WeakSet<SchemaNode>): string[] {
  const pointers: string[] = [];
  const pending: Array<{ node: unknown; at: string }> = [{ node: root, at: '' }];
  while (pending.length > 0) {
    const { node, at } = pending.pop()!;
    if (!isSchemaNode(node)) continue;
    if (isSchemaNode(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        const propertyAt = childPath(at, 'properties', name);
        if (isSchemaNode(property) && widened.has(property)) pointers.push(propertyAt);
        pending.push({ node: property, at: propertyAt });
      }
    }
    if (node.items !== undefined) pending.push({ node: node.items, at: `${at}/items` });
    if (Array.isArray(node.anyOf)) {
      for (const [index, branch] of node.anyOf.entries()) {
        pending.push({ node: branch, at: childPath(at, 'anyOf', index) });
      }
    }
    if (isSchemaNode(node.$defs)) {
      for (const [name, definition] of Object.entries(node.$defs)) {
        pending.push({ node: definition, at: childPath(at, '$defs', name) });
      }
    }
  }
  return pointers.sort();
}
