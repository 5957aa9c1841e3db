import { mkdtempSync as makeTempDir, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

const created: string[] = [];
const mkdtempSync = (prefix: string) => {
  const directory = makeTempDir(prefix);
  created.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});

const load = (env: Record<string, string>, cwd?: string) =>
  loadConfig({ env, cwd, readDotEnv: cwd !== undefined });

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every section with the embedded defaults when nothing is set', () => {
    const config = load({});
    expect(config.server.port).toBe(8000);
    expect(config.database.url).toBe('sqlite:./data/sps.db');
    expect(config.redis.url).toBeUndefined();
    expect(config.auth.defaultRateLimitPerHour).toBe(1000);
    expect(config.limits).toMatchObject({
      maxPromptChars: 10_000,
      maxSchemaBytes: 51_200,
      maxSchemaDepth: 10,
      maxBatchItems: 100,
    });
    expect(config.router.strategy).toBe('least-busy');
  });

  it('coerces environment strings into typed values', () => {
    const config = load({
      PORT: '9001',
      MIGRATE_ON_BOOT: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'true',
    });
    expect(config.server.port).toBe(9001);
    expect(config.database.migrateOnBoot).toBe(false);
    expect(config.server.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.server.trustProxy).toBe(true);
  });

  it('lists every offending setting in one error, naming the variable and what it expects', () => {
    const issues = issuesOf(() =>
      load({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://db',
        REDIS_URL: 'http://x',
        MAX_PROMPT_CHARS: '0',
      }),
    );
    expect(issues).toHaveLength(5);
    expect(issues.find((issue) => issue.startsWith('PORT'))).toContain('must be integer');
    expect(issues.find((issue) => issue.startsWith('LOG_LEVEL'))).toContain(
      'fatal, error, warn, info, debug, trace, silent',
    );
    expect(issues.find((issue) => issue.startsWith('DATABASE_URL'))).toContain('must match pattern');
    expect(issues.find((issue) => issue.startsWith('REDIS_URL'))).toBeDefined();
    expect(issues.find((issue) => issue.startsWith('MAX_PROMPT_CHARS'))).toContain('>= 1');
  });

  it('never echoes the value of a secret setting in an error', () => {
    const issues = issuesOf(() => load({ SPS_ADMIN_KEY: 'sp_not-a-real-key-but-secret' }));
    expect(issues.join('\n')).not.toContain('not-a-real-key-but-secret');
    expect(issues[0]).toMatch(/^SPS_ADMIN_KEY/);
  });

  it('reads structured settings from a YAML file, with environment variables taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sps-config-'));
    writeFileSync(
      join(dir, 'sps.yaml'),
      'server:\n  port: 7000\n  host: 0.0.0.0\nrouter:\n  strategy: cost\n',
    );
    const config = load({ SPS_CONFIG_FILE: 'sps.yaml', PORT: '7001' }, dir);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.port).toBe(7001);
    expect(config.router.strategy).toBe('cost');
  });

  it('reports unknown keys and wrong types in the config file by path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sps-config-'));
    writeFileSync(
      join(dir, 'sps.json'),
      JSON.stringify({ server: { prot: 1 }, cache: { ttlSeconds: 'long' } }),
    );
    const issues = issuesOf(() => load({ SPS_CONFIG_FILE: 'sps.json' }, dir));
    expect(issues).toContain('config file server: has unknown setting "prot"');
    expect(issues.some((issue) => issue.startsWith('config file cache.ttlSeconds: must be integer'))).toBe(
      true,
    );
  });

  it('reports a missing or unparsable config file instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sps-config-'));
    expect(issuesOf(() => load({ SPS_CONFIG_FILE: 'absent.yaml' }, dir))[0]).toContain('does not exist');
    writeFileSync(join(dir, 'broken.yaml'), 'server: [unclosed');
    expect(issuesOf(() => load({ SPS_CONFIG_FILE: 'broken.yaml' }, dir))[0]).toContain('is not valid YAML');
  });

  it('reads a .env file, below real environment variables', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sps-config-'));
    writeFileSync(join(dir, '.env'), 'PORT=8100\nLOG_LEVEL=debug\n');
    const config = load({ LOG_LEVEL: 'warn' }, dir);
    expect(config.server.port).toBe(8100);
    expect(config.log.level).toBe('warn');
  });

  it('returns a deeply frozen object', () => {
    const config = load({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});
