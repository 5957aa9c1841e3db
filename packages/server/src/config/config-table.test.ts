import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConfigTable, tableEnd, tableStart } from './config-table.ts';
import { envSettings } from './env-mapping.ts';

const readme = readFileSync(resolve(import.meta.dirname, '../../../../README.md'), 'utf8');
const envExample = readFileSync(resolve(import.meta.dirname, '../../../../.env.example'), 'utf8');

describe('configuration documentation', () => {
  it('the README table is exactly the one rendered from the settings (run `npm run docs:config` to update)', () => {
    const start = readme.indexOf(tableStart);
    const end = readme.indexOf(tableEnd);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start, end + tableEnd.length)).toBe(renderConfigTable());
  });

  it('.env.example mentions every setting', () => {
    const missing = envSettings
      .filter((setting) => !envExample.includes(`${setting.env}=`))
      .map((setting) => setting.env);
    expect(missing).toEqual([]);
  });
});
