// Fails when a non-test source file under packages/*/src grows past 300 lines: split it by responsibility.
import { globSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const maxLines = 300;
const root = resolve(import.meta.dirname, '..');
const files = globSync('packages/*/src/**/*.ts', { cwd: root, exclude: ['**/*.test.ts'] }).sort();
const tooLong = files
  .map((file) => ({ file, lines: readFileSync(resolve(root, file), 'utf8').trimEnd().split('\n').length }))
  .filter(({ lines }) => lines > maxLines);

for (const { file, lines } of tooLong) console.error(`${file}: ${lines} lines (at most ${maxLines})`);
if (tooLong.length > 0) process.exitCode = 1;
