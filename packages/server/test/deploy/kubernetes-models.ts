import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface Validatable {
  validate(): void;
}

/**
 * The Kubernetes OpenAPI schemas (kubernetes-models, compiled Ajv validators; the Prometheus
 * Operator's CRD schemas for ServiceMonitor and PrometheusRule), by apiVersion and kind. The
 * schemas check types, required fields and enums; they do not reject unknown fields.
 */
const models: Record<string, new (data: never) => Validatable> = {
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

/** Schema errors of one manifest ('' when valid); a kind without a schema here is an error too. */
export function schemaErrors(manifest: Manifest): string {
  const Model = models[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) return `no schema for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new Model(manifest as never).validate();
    return '';
  } catch (error) {
    return `${manifest.kind} ${manifest.metadata.name}: ${(error as Error).message}`;
  }
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

interface Container {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  startupProbe?: unknown;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}

export interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  automountServiceAccountToken?: boolean;
  containers: Container[];
}

export function podSpecOf(manifest: Manifest): PodSpec | undefined {
  const template = (manifest.spec as { template?: { spec?: PodSpec } } | undefined)?.template;
  return template?.spec;
}

/** What every pod of the service must hold to: non-root, no escalation, read-only root, bounded resources. */
export function hardeningGaps(manifest: Manifest): string[] {
  const pod = podSpecOf(manifest);
  if (!pod) return [];
  const gaps: string[] = [];
  const where = `${manifest.kind} ${manifest.metadata.name}`;
  if (pod.securityContext?.runAsNonRoot !== true) gaps.push(`${where}: runAsNonRoot`);
  if (pod.automountServiceAccountToken !== false) gaps.push(`${where}: service account token mounted`);
  for (const container of pod.containers) {
    const context = container.securityContext ?? {};
    if (context.allowPrivilegeEscalation !== false)
      gaps.push(`${where}/${container.name}: privilege escalation`);
    if (context.readOnlyRootFilesystem !== true) gaps.push(`${where}/${container.name}: writable root fs`);
    if (!context.capabilities?.drop?.includes('ALL'))
      gaps.push(`${where}/${container.name}: capabilities kept`);
    const { requests, limits } = container.resources ?? {};
    if (!requests?.cpu || !requests.memory || !limits?.memory)
      gaps.push(`${where}/${container.name}: resources`);
  }
  return gaps;
}
