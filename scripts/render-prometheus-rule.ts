import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';

const root = resolve(import.meta.dirname, '..');
const alertsFile = resolve(root, 'deploy/prometheus/alerts.yml');
export const prometheusRuleFile = resolve(root, 'deploy/kubernetes/base/prometheusrule.yaml');

/**
 * The Prometheus Operator's PrometheusRule holding exactly the groups of deploy/prometheus/alerts.yml,
 * so Kubernetes installs alert on what compose and plain Prometheus alert on. A test keeps the two in
 * step; `node scripts/render-prometheus-rule.ts` writes it again after alerts.yml changes.
 */
export function renderPrometheusRule(): string {
  const rules = parse(readFileSync(alertsFile, 'utf8')) as { groups: unknown[] };
  const resource = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'sps-alerts', labels: { 'app.kubernetes.io/component': 'api' } },
    spec: { groups: rules.groups },
  };
  const header =
    '# Generated from deploy/prometheus/alerts.yml by scripts/render-prometheus-rule.ts; do not edit.\n';
  return header + stringify(resource, { lineWidth: 0 });
}

if (import.meta.main) writeFileSync(prometheusRuleFile, renderPrometheusRule());
