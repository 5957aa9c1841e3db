/**
 * JSON nesting, measured without recursion: the recursive walkers (JSON.stringify, hashing, Ajv)
 * must never meet nesting deep enough to overflow the stack.
 */

/** Path to the first value nested deeper than `limit`, found without recursion. */
export function findJsonNestingOver(value: unknown, limit: number): string[] | undefined {
  // Each entry links to its parent: a path is only spelled out for the value that is too deep.
  interface Step {
    value: unknown;
    depth: number;
    key?: string;
    parent?: Step;
  }
  const stack: Step[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.value === null || typeof step.value !== 'object') continue;
    if (step.depth >= limit) return pathOf(step);
    for (const [key, child] of Object.entries(step.value)) {
      stack.push({ value: child, depth: step.depth + 1, key, parent: step });
    }
  }
  return undefined;
}

function pathOf(step: { key?: string; parent?: { key?: string; parent?: unknown } }): string[] {
  const path: string[] = [];
  for (let at: typeof step | undefined = step; at?.key !== undefined; at = at.parent as typeof step) {
    path.unshift(at.key);
  }
  return path;
}
