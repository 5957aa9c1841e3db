import { createRequire } from 'node:module';

/**
 * A package loaded the first time the returned function is called, not when the caller is imported,
 * resolved from `parentUrl` (the caller's `import.meta.url`, so each package finds its own
 * dependencies). Vendor SDKs, OpenTelemetry, ioredis, `pg` and yaml are only needed with the settings
 * that use them, and importing them all up front is most of an idle server's memory (ADR 0010).
 * `require` is synchronous (and loads ES modules on Node 24), so constructors can call it.
 */
export function loadOnFirstUse<Module>(specifier: string, parentUrl: string): () => Module {
  let loaded: Module | undefined;
  return () => {
    loaded ??= createRequire(parentUrl)(specifier) as Module;
    return loaded;
  };
}
