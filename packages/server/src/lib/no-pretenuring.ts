import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for this process (ADR 0026), unless the operator chose
 * either way on the `node` command line (Node refuses the flag in `NODE_OPTIONS`).
 *
 * Why: V8 watches which allocation sites produce objects that survive a young-generation collection
 * and, past a threshold, allocates that site's objects straight in the old generation. A request that
 * waits 200 ms on a provider survives a collection, so V8 soon allocates parts of every request in
 * the old generation. When the request ends, those parts are garbage that only a full collection
 * frees, and until then they keep alive whatever the request pointed at afterwards: the young
 * collector treats old-to-young pointers as roots. In the 200 ms benchmark scenario that held twice
 * the live in-flight data through every young collection and promoted 6–9 MB of garbage per
 * collection; with pretenuring off, what survives is what the waiting requests really hold.
 *
 * The flag is read by V8 at collection time, so setting it here works like passing it to `node`
 * (checked in the benchmark's GC trace). Import this module first, before the module graph loads.
 */
/** True when the `node` command line already says what V8 should do (`process.execArgv`). */
export function operatorChosePretenuring(execArgv: readonly string[]): boolean {
  return execArgv.some((argument) => /^--(?:no-)?allocation[-_]site[-_]pretenuring$/.test(argument));
}

export const pretenuringDisabled = !operatorChosePretenuring(process.execArgv);
if (pretenuringDisabled) setFlagsFromString('--no-allocation-site-pretenuring');
