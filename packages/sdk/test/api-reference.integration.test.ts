import { execFile } from 'node:child_process';
import { globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = resolve(import.meta.dirname, '..');
const committed = resolve(packageDir, '../../docs/sdk-api');

const filesOf = (folder: string) =>
  Object.fromEntries(
    globSync('**/*.md', { cwd: folder })
      .sort()
      .map((file) => [file, readFileSync(join(folder, file), 'utf8')]),
  );

describe('the SDK API reference in docs/sdk-api', () => {
  it('is what TypeDoc generates from the sources now (npm run docs:sdk)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sps-sdk-api-'));
    try {
      await promisify(execFile)(join(packageDir, 'node_modules/.bin/typedoc'), ['--out', out], {
        cwd: packageDir,
        env: {
          ...process.env,
          PATH: `${resolve(packageDir, '../../node_modules/.bin')}:${process.env.PATH}`,
        },
      });
      const generated = filesOf(out);
      expect(Object.keys(generated).length).toBeGreaterThan(50); // TypeDoc really wrote the reference
      expect(generated).toEqual(filesOf(committed));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
