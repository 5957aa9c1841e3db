/**
 * Preloaded into a spawned server (`NODE_OPTIONS=--import=…`) by tests about start-up cost: records
 * every module URL the process loads and writes the list to `$RECORD_MODULES_FILE` on exit.
 */
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
// Synchronous hooks see `require` (and so `createRequire`) as well as `import`.
process.on('exit', () => {
  const target = process.env.RECORD_MODULES_FILE;
  if (target) writeFileSync(target, [...loaded].join('\n'));
});
