import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = resolve(import.meta.dirname, '../../../..');

describe('alert runbook (docs/deployment.md)', () => {
  it('has a section for every alert in deploy/prometheus/alerts.yml, with its severity', () => {
    const rules = parseYaml(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string; labels?: { severity?: string } }> }>;
    };
    const alerts = rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert !== undefined);
    expect(alerts.length).toBeGreaterThan(0);
    const guide = readFileSync(join(root, 'docs/deployment.md'), 'utf8');
    const missing = alerts.filter((rule) => !guide.includes(`### ${rule.alert} (${rule.labels?.severity})`));
    expect(missing.map((rule) => rule.alert)).toEqual([]);
  });
});
