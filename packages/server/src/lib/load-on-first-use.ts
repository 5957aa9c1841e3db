import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package that is loaded the first time the returned function is called, not when this module is
 * imported. Vendor SDKs, OpenTelemetry, ioredis, `pg`, yaml and undici are only needed with the
 * settings that use them, and importing them all up front is most of an idle server's memory
 * (ADR 0010). `require` is synchronous (and loads ES modules too on Node 24), so constructors can
 * call it.
 */
export function loadOnFirstUse<Module>(specifier: string): () => Module {
  let loaded: Module | undefined;
  return () => {
    loaded ??= require(specifier) as Module;
    return loaded;
  };
}
