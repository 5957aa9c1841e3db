import { createHook } from 'node:async_hooks';

/**
 * Keeps two of Node's `process.nextTick` objects alive for the life of the process (ADR 0020).
 *
 * Why: Node builds each tick object with a literal whose first keys are computed symbols. V8 gives
 * such objects their shape through map transitions, which it holds weakly. Tick objects live for
 * one tick, so a full collection that finds none alive drops those maps, and the next tick builds
 * new ones. After a few collections, the literal's inline cache has seen too many shapes. The
 * optimized `nextTick` then builds every tick object through V8's runtime, for the rest of the
 * process: 3–5% of the main thread in our profiles, and never in a bare Fastify app, which collects
 * far less before `nextTick` is optimized.
 *
 * A live object holds its map and every map before it. One tick object with arguments and one
 * without therefore keep both shapes stable. They are captured with an async hook that is enabled
 * only around two `nextTick` calls. If Node ever stops reporting tick objects to hooks, nothing is
 * pinned and nothing else changes. Import this module first, before the module graph loads and
 * collects.
 */
export const pinnedTickObjects: object[] = [];

try {
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject') pinnedTickObjects.push(resource as object);
    },
  });
  hook.enable();
  try {
    process.nextTick(() => {});
    process.nextTick((_value: unknown) => {}, undefined);
  } finally {
    hook.disable();
  }
} catch {
  // An optimisation only: a runtime without async hooks runs as before.
}
