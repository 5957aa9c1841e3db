// Builds the publishable package into dist/: ES modules and declarations compiled by tsc, the API
// types generated from the contracts' JSON Schemas (so the package needs no workspace package), a
// package.json without workspace links, the README and the example. `npm pack ./dist` packs it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contractDeclarations } from './contract-declarations.ts';

const packageDir = resolve(import.meta.dirname, '..');
const dist = join(packageDir, 'dist');
const tsc = resolve(packageDir, '../../node_modules/.bin/tsc');

rmSync(dist, { recursive: true, force: true });
execFileSync(tsc, ['-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });

const typeNames = [
  ...readFileSync(join(packageDir, 'src/types.ts'), 'utf8').matchAll(/^export type (\w+)/gm),
].map((match) => match[1]!);
writeFileSync(join(dist, 'types.d.ts'), await contractDeclarations(typeNames));
writeFileSync(join(dist, 'types.js'), 'export {};\n');
optionalTypeBox(join(dist, 'typed-schema.d.ts'));

const source = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
const manifest = {
  name: source.name,
  version: source.version,
  description: source.description,
  license: source.license,
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20' },
  exports: { '.': { types: './index.d.ts', default: './index.js' }, './package.json': './package.json' },
  main: './index.js',
  types: './index.d.ts',
  // Only for the types of TypeBox schemas given to analyze(); nothing of it is loaded at run time.
  peerDependencies: { typebox: '>=1' },
  peerDependenciesMeta: { typebox: { optional: true } },
};
writeFileSync(join(dist, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(packageDir, 'README.md'), join(dist, 'README.md'));
copyFileSync(join(packageDir, 'examples/quickstart.mjs'), join(dist, 'example.mjs'));
console.log(`built ${dist}`);

/**
 * TypeBox is an optional peer: where it is not installed, its import must not fail the consumer's type
 * check (TypeBox schemas then type `data` loosely). Zod and other Standard schemas need nothing.
 */
function optionalTypeBox(file: string): void {
  const text = readFileSync(file, 'utf8');
  const line = "import type { Static, TSchema } from 'typebox';";
  if (!text.includes(line)) throw new Error(`${file} no longer imports typebox as expected`);
  const note = '// @ts-ignore: typebox is an optional peer dependency, only for typing TypeBox schemas';
  writeFileSync(file, text.replace(line, `${note}\n${line}`));
}
