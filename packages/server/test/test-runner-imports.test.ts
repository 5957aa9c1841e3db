import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
/** Still to become a test file of its own; remove the entry when it does. */
const pending = new Set(['packages/server/src/platform/cache-store/cache-store.conformance.ts']);

describe('source files', () => {
  it('import the test runner only from test files', () => {
    const sources = globSync('packages/*/src/**/*.ts', { cwd: repositoryRoot }).filter(
      (path) => !path.endsWith('.test.ts') && !pending.has(path),
    );
    expect(sources.length).toBeGreaterThan(100); // the walk really found the sources
    const importing = sources.filter((path) =>
      /from ['"]vitest(\/[^'"]*)?['"]/.test(readFileSync(join(repositoryRoot, path), 'utf8')),
    );
    expect(importing).toEqual([]);
  });
});
