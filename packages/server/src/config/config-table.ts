import { envSettings } from './env-mapping.ts';
import { loadConfig } from './load-config.ts';

export const tableStart = '<!-- config-table:start -->';
export const tableEnd = '<!-- config-table:end -->';

/** The README's configuration table, rendered from the settings list and the schema's defaults. */
export function renderConfigTable(): string {
  const defaults = loadConfig({ env: {}, readDotEnv: false }) as unknown as Record<string, unknown>;
  const rows = envSettings.map((setting) => {
    const value = setting.path === '' ? undefined : lookup(defaults, setting.path);
    const shown =
      value === undefined || (Array.isArray(value) && value.length === 0)
        ? '—'
        : `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
    return `| \`${setting.env}\` | ${shown} | ${setting.description} |`;
  });
  return [tableStart, '| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows, tableEnd].join(
    '\n',
  );
}

function lookup(source: Record<string, unknown>, path: string): unknown {
  let node: unknown = source;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}
