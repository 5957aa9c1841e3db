// Rewrites the configuration table in README.md and the settings in .env.example from the config schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderConfigTable, tableEnd, tableStart } from '../packages/server/src/config/config-table.ts';
import { envSettings } from '../packages/server/src/config/env-mapping.ts';

const root = resolve(import.meta.dirname, '..');
const readmePath = resolve(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(tableStart);
const end = readme.indexOf(tableEnd);
if (start < 0 || end < 0) throw new Error('README.md has no config-table markers');
writeFileSync(readmePath, readme.slice(0, start) + renderConfigTable() + readme.slice(end + tableEnd.length));

const example = [
  '# Copy to .env and uncomment what you need. Real environment variables win over this file.',
  '# Every setting is optional: with none, the service runs embedded (SQLite, in-memory cache).',
  ...envSettings.map((setting) => `# ${setting.description}\n# ${setting.env}=`),
  '',
].join('\n');
writeFileSync(resolve(root, '.env.example'), example);
console.log(`updated README.md table (${envSettings.length} settings) and .env.example`);
