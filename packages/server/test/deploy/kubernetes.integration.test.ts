import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { prometheusRuleFile, renderPrometheusRule } from '../../../../scripts/render-prometheus-rule.ts';
import {
  hardeningGaps,
  type Manifest,
  parseManifests,
  podSpecOf,
  schemaErrors,
} from './kubernetes-models.ts';

const root = resolve(import.meta.dirname, '../../../..');
const kubernetesDir = join(root, 'deploy/kubernetes');
const overlays = readdirSync(join(kubernetesDir, 'overlays'));
// `kubectl kustomize` renders offline (no cluster); without kubectl the base files are still checked.
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function render(directory: string): Manifest[] {
  const result = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${directory} failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

function baseFiles(): Manifest[] {
  const base = join(kubernetesDir, 'base');
  return readdirSync(base)
    .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
    .flatMap((file) => parseManifests(readFileSync(join(base, file), 'utf8')));
}

function byKind(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

/** What the rendered set must contain whatever the overlay: the parts the deployment guide relies on. */
function expectComplete(manifests: Manifest[]): void {
  const api = podSpecOf(byKind(manifests, 'Deployment', 'sps-api'));
  const container = api?.containers[0];
  expect(container?.startupProbe).toBeDefined();
  expect(container?.livenessProbe).toMatchObject({ httpGet: { path: '/v1/health/live' } });
  expect(container?.readinessProbe).toMatchObject({ httpGet: { path: '/v1/health/ready' } });
  byKind(manifests, 'Deployment', 'sps-worker');
  byKind(manifests, 'Job', 'sps-migrate');
  byKind(manifests, 'PodDisruptionBudget', 'sps-api');
  const workerScaling = byKind(manifests, 'HorizontalPodAutoscaler', 'sps-worker').spec as {
    metrics: Array<{ type: string }>;
  };
  expect(workerScaling.metrics.map((metric) => metric.type).sort()).toEqual(['External', 'Resource']);
  byKind(manifests, 'HorizontalPodAutoscaler', 'sps-api');
  byKind(manifests, 'ServiceMonitor', 'sps-api');
  byKind(manifests, 'PrometheusRule', 'sps-alerts');
  expect(manifests.filter((manifest) => manifest.kind === 'NetworkPolicy').length).toBeGreaterThan(0);
  // The Secret is referenced by name and never part of the manifests.
  expect(manifests.filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  it('base files: valid against the Kubernetes schemas (kubernetes-models), hardened, complete', () => {
    const manifests = baseFiles();
    expect(manifests.map(schemaErrors).filter(Boolean)).toEqual([]);
    expect(manifests.flatMap(hardeningGaps)).toEqual([]);
    expectComplete(manifests);
  });

  for (const overlay of overlays) {
    it.skipIf(!kubectl)(
      `overlay ${overlay}: rendered by kubectl kustomize, valid against the Kubernetes schemas (skipped without kubectl)`,
      () => {
        const manifests = render(join(kubernetesDir, 'overlays', overlay));
        expect(manifests.map(schemaErrors).filter(Boolean)).toEqual([]);
        expect(manifests.flatMap(hardeningGaps)).toEqual([]);
        expectComplete(manifests);
        const namespaces = new Set(manifests.map((manifest) => manifest.metadata.namespace));
        expect(namespaces.size).toBe(1);
      },
    );
  }

  it('the PrometheusRule holds exactly the rules of deploy/prometheus/alerts.yml', () => {
    expect(readFileSync(prometheusRuleFile, 'utf8')).toBe(renderPrometheusRule());
    const alerts = parseYaml(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
      groups: unknown;
    };
    const rule = parseManifests(readFileSync(prometheusRuleFile, 'utf8'))[0];
    expect(rule?.spec?.groups).toEqual(alerts.groups);
  });

  it('a manifest with a wrong type is refused by the schema check (the check can fail)', () => {
    const broken = structuredClone(byKind(baseFiles(), 'Deployment', 'sps-api'));
    (broken.spec as { replicas: unknown }).replicas = 'two';
    expect(schemaErrors(broken)).toContain('replicas');
  });
});
