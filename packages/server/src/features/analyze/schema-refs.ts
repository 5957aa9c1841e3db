import type { JsonSchema } from '@structured-prompt/gateway';
import type { SchemaDialect } from './schema-dialects.ts';
import {
  isPlainObject,
  isSchemaLike,
  subschemasOf,
  toPointer,
  unescapePointerSegment,
} from './schema-walk.ts';

export interface RefProblem {
  /** JSON Pointer (inside the schema) of the offending `$ref`. */
  at: string;
  message: string;
  keyword: string;
}

interface SchemaNode {
  pointer: string;
  schema: unknown;
  /** Pointer of the schema resource (root or nearest subschema with its own `$id`) refs resolve in. */
  resource: string;
}

interface Edge {
  to: string;
  /** Where the `$ref` sits, for ref edges; undefined for in-place subschema edges. */
  refAt?: string;
  ref?: string;
}

/**
 * Local `$ref`s that cannot be resolved, and `$ref` cycles that never descend into a property or item
 * (`a` → `b` → `a`, or `a` → allOf → `a`): a validator following them loops on the same value forever,
 * and no model output can satisfy them. Recursion through structure (a tree node whose `children`
 * items refer back to the node) is well-founded and allowed.
 *
 * Expects a schema that already passed the meta-schema and refuses remote refs elsewhere; refs that are
 * not local are ignored here.
 */
export function findRecursiveRefs(root: JsonSchema, dialect: SchemaDialect = '2020-12'): RefProblem[] {
  const index = new SchemaIndex(dialect === 'draft-04' ? 'id' : '$id');
  index.register(root, '', '');
  const { edges, unresolved } = collectEdges(index);
  return [...unresolved, ...findInPlaceCycles(edges)];
}

/** Every subschema by pointer, and the anchors naming them, for resolving local refs as Ajv does. */
class SchemaIndex {
  readonly nodes = new Map<string, SchemaNode>();
  readonly #anchors = new Map<string, string>();
  /** The keyword that names a schema resource: `id` in draft-04, `$id` since. */
  readonly #idKeyword: string;

  constructor(idKeyword: string) {
    this.#idKeyword = idKeyword;
  }

  register(schema: unknown, pointer: string, parentResource: string): void {
    if (this.nodes.has(pointer)) return;
    const resource = this.#resourceOf(schema, pointer, parentResource);
    this.nodes.set(pointer, { pointer, schema, resource });
    if (!isPlainObject(schema)) return;
    for (const entry of subschemasOf(schema))
      this.register(entry.schema, pointer + toPointer(entry.segments), resource);
  }

  /** Pointer of the node `ref` (a local `#…` ref) names, seen from `from`; undefined when nothing is there. */
  resolve(ref: string, from: SchemaNode): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(ref.slice(1));
    } catch {
      return undefined;
    }
    if (decoded !== '' && !decoded.startsWith('/')) return this.#anchors.get(`${from.resource}#${decoded}`);
    const segments = decoded === '' ? [] : decoded.slice(1).split('/').map(unescapePointerSegment);
    const pointer = from.resource + toPointer(segments);
    if (this.nodes.has(pointer)) return pointer;
    // A ref into a place the walker does not treat as a schema (an unknown keyword): Ajv still
    // follows it, so it becomes a node too.
    let value: unknown = this.nodes.get(from.resource)?.schema;
    for (const segment of segments) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
    if (!isSchemaLike(value)) return undefined;
    this.register(value, pointer, from.resource);
    return pointer;
  }

  /** Records the anchors `schema` declares and returns the resource its own refs resolve in. */
  #resourceOf(schema: unknown, pointer: string, parentResource: string): string {
    if (!isPlainObject(schema)) return parentResource;
    let resource = parentResource;
    const id = schema[this.#idKeyword];
    if (typeof id === 'string') {
      // draft-04 to -07 `$id: "#name"` is an anchor; anything else starts an embedded resource.
      if (id.startsWith('#')) this.#anchors.set(`${resource}#${id.slice(1)}`, pointer);
      else if (pointer !== '') resource = pointer;
    }
    for (const keyword of ['$anchor', '$dynamicAnchor']) {
      const name = schema[keyword];
      if (typeof name === 'string') this.#anchors.set(`${resource}#${name}`, pointer);
    }
    return resource;
  }
}

/** In-place subschema edges and resolved ref edges of every node, and the refs that resolve nowhere. */
function collectEdges(index: SchemaIndex): { edges: Map<string, Edge[]>; unresolved: RefProblem[] } {
  const edges = new Map<string, Edge[]>();
  const unresolved: RefProblem[] = [];
  const pending = [...index.nodes.values()];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const before = index.nodes.size;
    edges.set(node.pointer, edgesOf(node, index, unresolved));
    // Nodes registered while resolving refs still need their own edges.
    if (index.nodes.size > before)
      for (const added of [...index.nodes.values()].slice(before)) pending.push(added);
  }
  return { edges, unresolved };
}

/** Keywords whose value is a reference; 2019-09's `$recursiveRef` is always `#` (its resource's root). */
const refKeywords = ['$ref', '$dynamicRef', '$recursiveRef'];

/** Edges leaving one node; refs that resolve nowhere are added to `unresolved`. */
function edgesOf(node: SchemaNode, index: SchemaIndex, unresolved: RefProblem[]): Edge[] {
  if (!isPlainObject(node.schema)) return [];
  const list: Edge[] = [];
  for (const entry of subschemasOf(node.schema)) {
    if (entry.role === 'in-place') list.push({ to: node.pointer + toPointer(entry.segments) });
  }
  for (const keyword of refKeywords) {
    const ref = node.schema[keyword];
    if (typeof ref !== 'string' || !ref.startsWith('#')) continue;
    const refAt = `${node.pointer}/${keyword}`;
    const target = index.resolve(ref, node);
    if (target === undefined) {
      unresolved.push({
        at: refAt,
        message: `reference "${ref}" cannot be resolved in this schema`,
        keyword,
      });
      continue;
    }
    list.push({ to: target, refAt, ref });
  }
  return list;
}

/** Depth-first search over in-place edges; every back edge closes a cycle. */
function findInPlaceCycles(edges: Map<string, Edge[]>): RefProblem[] {
  const problems: RefProblem[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: Array<{ pointer: string; via?: Edge }> = [];
  const reported = new Set<string>();

  const visit = (pointer: string): void => {
    state.set(pointer, 'active');
    for (const edge of edges.get(pointer) ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'done') continue;
      if (seen === 'active') {
        const start = stack.findIndex((frame) => frame.pointer === edge.to);
        const cycle = [...stack.slice(start + 1).map((frame) => frame.via!), edge];
        const refEdges = cycle.filter((item) => item.refAt !== undefined);
        const first = refEdges[0];
        if (first === undefined || reported.has(first.refAt!)) continue;
        reported.add(first.refAt!);
        const chain = [`#${edge.to}`, ...cycle.map((item) => `#${item.to}`)].join(' → ');
        problems.push({
          at: first.refAt!,
          message: `recursive schema: the $ref cycle ${chain} never descends into a property or item`,
          keyword: first.refAt!.slice(first.refAt!.lastIndexOf('/') + 1),
        });
        continue;
      }
      stack.push({ pointer: edge.to, via: edge });
      visit(edge.to);
      stack.pop();
    }
    state.set(pointer, 'done');
  };

  for (const pointer of edges.keys()) {
    if (state.has(pointer)) continue;
    stack.push({ pointer });
    visit(pointer);
    stack.pop();
  }
  return problems;
}
