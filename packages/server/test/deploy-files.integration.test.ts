import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Metrics } from '../src/platform/observability/metrics.ts';
import { buildTestApp } from './support/build-app.ts';

const root = resolve(import.meta.dirname, '../../..');
const prometheusDir = join(root, 'deploy/prometheus');
const dashboardsDir = join(root, 'deploy/grafana/dashboards');
const dashboardFiles = ['system-overview.json', 'llm-providers.json', 'cost-usage.json'];

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
const ci = process.env.CI === 'true';

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

function dashboardExpressions(file: string): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as { panels: Panel[] };
  const flat = (panels: Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...flat(panel.panels ?? [])]);
  return flat(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map(({ expr }) => ({ panel: panel.title, expr })),
  );
}

/** Every `sps_*` name the alert rules and the dashboards use, read from the files themselves. */
function referencedNames(): Map<string, string> {
  const names = new Map<string, string>();
  const collect = (text: string, where: string) => {
    for (const [name] of text.matchAll(/\bsps_[a-z0-9_]+/g)) if (!names.has(name)) names.set(name, where);
  };
  const rules = parseYaml(readFileSync(join(prometheusDir, 'alerts.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ expr: string }> }>;
  };
  for (const group of rules.groups) for (const rule of group.rules) collect(rule.expr, 'alerts.yml');
  for (const file of dashboardFiles) {
    for (const { expr } of dashboardExpressions(file)) collect(expr, file);
    const variables = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')).templating.list as Array<{
      definition?: string;
    }>;
    for (const variable of variables) collect(variable.definition ?? '', file);
  }
  return names;
}

/** Families declared (`# TYPE`) in an exposition and names that have at least one sample. */
function exposition(body: string): { types: Map<string, string>; sampled: Set<string> } {
  const types = new Map<string, string>();
  const sampled = new Set<string>();
  for (const line of body.split('\n')) {
    const declared = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (declared) types.set(declared[1]!, declared[2]!);
    else if (line && !line.startsWith('#')) sampled.add(/^[^{ ]+/.exec(line)![0]);
  }
  return { types, sampled };
}

function isExposed(name: string, types: Map<string, string>): boolean {
  if (types.has(name)) return true;
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(name);
  return histogram !== null && ['histogram', 'summary'].includes(types.get(histogram[1]!) ?? '');
}

/** Skips with the reason locally when promtool is absent; on CI (CI=true) its absence is a failure. */
function requirePromtool(context: { skip: (note?: string) => never }): void {
  if (promtool) return;
  if (ci) expect.fail('promtool is missing on CI: .ci/run must install the Debian prometheus package');
  context.skip('promtool is not installed (apt-get install prometheus); CI runs this check');
}

function runPromtool(...args: string[]): string {
  return execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('Prometheus and Grafana files under deploy/', () => {
  it('pass promtool check config, check rules and the alert unit tests', (context) => {
    requirePromtool(context);
    expect(runPromtool('check', 'config', join(prometheusDir, 'prometheus.yml'))).toContain('SUCCESS');
    expect(runPromtool('check', 'rules', join(prometheusDir, 'alerts.yml'))).toMatch(
      /SUCCESS: \d+ rules found/,
    );
    expect(runPromtool('test', 'rules', join(prometheusDir, 'alerts.test.yml'))).toContain('SUCCESS');
  });

  it('dashboards hold valid PromQL (checked by promtool as recording rules)', (context) => {
    requirePromtool(context);
    // Grafana variables are not PromQL: give them the values Grafana would.
    const rules = dashboardFiles.flatMap((file) =>
      dashboardExpressions(file).map(({ expr }, index) => ({
        record: `dashboard:${file.replace(/\W/g, '_')}:${index}`,
        expr: expr
          .replaceAll('$__rate_interval', '1m')
          .replaceAll('$__range', '1h')
          .replaceAll('$instance', '.*'),
      })),
    );
    expect(rules.length).toBeGreaterThan(30);
    const dir = mkdtempSync(join(tmpdir(), 'sps-dashboards-'));
    try {
      const file = join(dir, 'dashboards.rules.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboards', rules }] }));
      expect(runPromtool('check', 'rules', file)).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every alert has a severity, a summary and a description', () => {
    const rules = parseYaml(readFileSync(join(prometheusDir, 'alerts.yml'), 'utf8')) as {
      groups: Array<{
        rules: Array<{
          alert: string;
          labels?: Record<string, string>;
          annotations?: Record<string, string>;
        }>;
      }>;
    };
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.map((rule) => rule.alert).sort()).toEqual([
      'SpsBudgetUsageHigh',
      'SpsHighErrorRate',
      'SpsHighLatencyP95',
      'SpsLowCacheHitRate',
      'SpsProviderCircuitOpen',
      'SpsProviderUnhealthy',
      'SpsRequestLogEntriesDropped',
      'SpsWebhookDeliveriesFailing',
    ]);
    for (const rule of alerts) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
    }
  });

  it('every sps_* name in the rules and dashboards is exposed by /v1/metrics after real traffic', async () => {
    const { app, createKey } = await buildTestApp();
    const admin = await createKey({ scopes: ['admin'] });
    const traffic = [
      { method: 'GET', url: '/' },
      { method: 'GET', url: '/v1/health' },
      { method: 'GET', url: '/v1/health/live' },
      { method: 'GET', url: '/v1/health/ready' },
      { method: 'GET', url: '/no/such/route' },
      { method: 'GET', url: '/v1/api-keys' },
      { method: 'GET', url: '/v1/api-keys', headers: { 'x-api-key': admin.key } },
      {
        method: 'POST',
        url: '/v1/api-keys',
        headers: { 'x-api-key': admin.key },
        payload: { name: 'scraped' },
      },
      {
        method: 'POST',
        url: '/v1/analyze',
        headers: { 'x-api-key': admin.key },
        payload: { prompt: 'Translate Hello World to French' },
      },
      {
        method: 'POST',
        url: '/v1/analyze',
        headers: { 'x-api-key': admin.key },
        payload: { prompt: 'Translate Hello World to French' },
      },
    ] as const;
    const statuses = [];
    for (const request of traffic) statuses.push((await app.inject(request)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 404, 401, 200, 201, 200, 200]);

    const response = await app.inject({ method: 'GET', url: '/v1/metrics' });
    expect(response.statusCode).toBe(200);
    const { types, sampled } = exposition(response.body);

    const missing = [...referencedNames()]
      .filter(([name]) => !isExposed(name, types))
      .map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
    expect(referencedNames().size).toBeGreaterThan(25);
    // The traffic above really went through the plugin: request, latency and in-flight have samples.
    for (const name of [
      'sps_http_requests_total',
      'sps_http_request_duration_seconds_bucket',
      'sps_http_requests_in_flight',
    ]) {
      expect(sampled, name).toContain(name);
    }
    expect(response.body).toMatch(
      /^sps_http_requests_total\{method="POST",route="\/v1\/api-keys",status="201"\} 1$/m,
    );
    expect(response.body).toMatch(
      /^sps_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m,
    );
  });

  it('docs/operations.md documents exactly the sps_* families the registry has', async () => {
    const { body } = await new Metrics().render();
    const registered = [...exposition(body).types.keys()].filter((name) => name.startsWith('sps_'));
    const docs = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    // Application metrics are listed one per table row; process metrics by their documented prefixes.
    const documented = new Set([...docs.matchAll(/^\| `(sps_[a-z0-9_]+)`/gm)].map((match) => match[1]!));
    const own = registered.filter((name) => !/^sps_(process|nodejs)_/.test(name));
    expect(own.filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !registered.includes(name))).toEqual([]);
    expect(docs).toContain('sps_process_');
    expect(docs).toContain('sps_nodejs_');
  });

  it("the README's operations section lists the same metrics as docs/operations.md", () => {
    const rows = (file: string) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/^\| `(sps_[a-z0-9_]+)`.*$/gm)].map(
        (match) => match[0],
      );
    expect(rows('README.md')).toEqual(rows('docs/operations.md'));
    expect(rows('README.md').length).toBeGreaterThan(20);
  });
});
