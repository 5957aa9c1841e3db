import { isPlainObject, unescapePointerSegment } from '../schema-walk.ts';

export type SchemaObject = Record<string, unknown>;

/**
 * The subschema a local `$ref` (`#` or `#/json/pointer`) names inside `root`; undefined for refs to
 * anchors, `$id`s or other documents, which coercion does not follow (validation still does).
 */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const segment = unescapePointerSegment(decodeURIComponent(raw));
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isPlainObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** JSON Schema types a schema declares with `type`, or undefined when it declares none. */
export function declaredTypes(schema: SchemaObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type) => typeof type === 'string');
  return undefined;
}

export function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      return typeof value === type;
  }
}

/** Whether a value already fits a schema's `type`, `enum` and `const` (the keywords coercion fixes). */
export function fitsShape(value: unknown, schema: unknown): boolean {
  if (!isPlainObject(schema)) return schema !== false;
  const types = declaredTypes(schema);
  if (types !== undefined && !types.some((type) => matchesType(value, type))) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => jsonEqual(allowed, value))) return false;
  return !Object.hasOwn(schema, 'const') || jsonEqual(schema.const, value);
}

export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every(
    (key) =>
      Object.hasOwn(right, key) && jsonEqual((left as SchemaObject)[key], (right as SchemaObject)[key]),
  );
}

/**
 * Property names an object must or may have at this level of the schema: its own `properties` and
 * those of in-place subschemas (`$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`).
 */
export function declaredPropertyNames(root: unknown, schema: unknown): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (!isPlainObject(node) || seen.has(node)) return;
    seen.add(node);
    if (isPlainObject(node.properties)) for (const name of Object.keys(node.properties)) names.add(name);
    const inPlace: unknown[] = [node.if, node.then, node.else];
    if (typeof node.$ref === 'string') inPlace.push(resolveLocalRef(root, node.$ref));
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[keyword];
      if (Array.isArray(list)) inPlace.push(...list);
    }
    for (const subschema of inPlace) visit(subschema);
  };
  visit(schema);
  return names;
}
