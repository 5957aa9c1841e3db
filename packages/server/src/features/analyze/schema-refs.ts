import type { JsonSchema } from '@structured-prompt/gateway';
import type { SchemaDialect } from './schema-dialects.ts';
import { SchemaIndex, type SchemaNode } from './schema-index.ts';
import { isPlainObject, subschemasOf, toPointer } from './schema-walk.ts';

export interface RefProblem {
  /** JSON Pointer (inside the schema) of the offending `$ref`. */
  at: string;
  message: string;
  keyword: string;
}

interface Edge {
  to: string;
  /** Where the `$ref` sits, for ref edges; undefined for in-place subschema edges. */
  refAt?: string;
  ref?: string;
}

/**
 * What is wrong with a schema's references, in one pass:
 * - remote references: ones that lead outside the schema document (the service never fetches one);
 *   a reference to the document's own `$id`, or to an embedded resource's, is local;
 * - local references that resolve nowhere;
 * - `$ref` cycles that never descend into a property or item (`a` → `b` → `a`, or `a` → allOf →
 *   `a`): a validator following them loops on the same value forever, and no model output can
 *   satisfy them. Recursion through structure (a tree node whose `children` items refer back to
 *   the node) is well-founded and allowed.
 * Expects a schema that already passed the meta-schema of `dialect`.
 */
export function findRefProblems(root: JsonSchema, dialect: SchemaDialect = '2020-12'): RefProblem[] {
  const index = new SchemaIndex(dialect);
  index.register(root, '', '');
  const { edges, unresolved } = collectEdges(index);
  return [...unresolved, ...findInPlaceCycles(edges)];
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

/** Edges leaving one node; refs that lead nowhere or outside are added to `unresolved`. */
function edgesOf(node: SchemaNode, index: SchemaIndex, unresolved: RefProblem[]): Edge[] {
  if (!isPlainObject(node.schema)) return [];
  const list: Edge[] = [];
  for (const entry of subschemasOf(node.schema)) {
    if (entry.role === 'in-place') list.push({ to: node.pointer + toPointer(entry.segments) });
  }
  for (const keyword of refKeywords) {
    const ref = node.schema[keyword];
    if (typeof ref !== 'string') continue;
    const refAt = `${node.pointer}/${keyword}`;
    const target = index.resolve(ref, node);
    if ('pointer' in target) list.push({ to: target.pointer, refAt, ref });
    else unresolved.push({ at: refAt, message: refMessage(ref, target), keyword });
  }
  return list;
}

function refMessage(ref: string, resolution: { remote: true } | { unresolved: true }): string {
  if ('unresolved' in resolution) return `reference "${ref}" cannot be resolved in this schema`;
  return (
    `remote reference "${ref}" is not allowed: references must stay inside the schema ` +
    '(JSON Pointers, anchors, or the $id of the schema or of one of its subschemas)'
  );
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
