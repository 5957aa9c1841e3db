import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Loads a vendor's AI SDK package when its provider makes its first call. A server usually has one
 * or two providers configured (none on a fresh install); importing all four SDKs and zod up front
 * cost idle memory for code that never runs.
 */
export function loadSdk<Module>(specifier: string): Module {
  return require(specifier) as Module;
}
