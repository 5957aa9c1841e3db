import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

const directory = mkdtempSync(join(tmpdir(), 'sps-transport-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const load = (env: Record<string, string>) => loadConfig({ env, cwd: directory, readDotEnv: false });

function issuesOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('transport settings', () => {
  it('reads the proxy variables in either case, the lower-case one winning, and coerces the limit', () => {
    const config = load({
      HTTPS_PROXY: 'http://upper.internal:3128',
      https_proxy: 'http://lower.internal:3128',
      HTTP_PROXY: 'http://plain.internal:3128',
      no_proxy: 'localhost,.internal',
      PROVIDER_CONNECTIONS_PER_ORIGIN: '32',
    });
    expect(config.transport).toEqual({
      httpsProxy: 'http://lower.internal:3128',
      httpProxy: 'http://plain.internal:3128',
      noProxy: 'localhost,.internal',
      connectionsPerOrigin: 32,
    });
    expect(load({}).transport).toEqual({});
  });

  it('refuses a proxy that is not an http(s) URL without echoing it, and a limit below one', () => {
    const issues = issuesOf({
      HTTPS_PROXY: 'proxy.internal:3128',
      PROVIDER_CONNECTIONS_PER_ORIGIN: '0',
    });
    expect(issues).toEqual([
      expect.stringMatching(/^HTTPS_PROXY \(transport\.httpsProxy\): must match/),
      expect.stringMatching(
        /^PROVIDER_CONNECTIONS_PER_ORIGIN \(transport\.connectionsPerOrigin\): must be >= 1/,
      ),
    ]);
    expect(issues.join('\n')).not.toContain('proxy.internal');
  });

  it('resolves the CA file against the working directory and checks that it holds a certificate', () => {
    writeFileSync(join(directory, 'corporate-ca.pem'), rootCertificates[0]!);
    writeFileSync(join(directory, 'not-a-certificate.pem'), 'hello');
    expect(load({ PROVIDER_CA_FILE: 'corporate-ca.pem' }).transport.caFile).toBe(
      join(directory, 'corporate-ca.pem'),
    );
    expect(issuesOf({ PROVIDER_CA_FILE: 'missing.pem' })).toEqual([
      `PROVIDER_CA_FILE (transport.caFile): cannot read ${join(directory, 'missing.pem')} (ENOENT)`,
    ]);
    expect(issuesOf({ PROVIDER_CA_FILE: 'not-a-certificate.pem' })).toEqual([
      `PROVIDER_CA_FILE (transport.caFile): ${join(directory, 'not-a-certificate.pem')} does not hold a PEM certificate`,
    ]);
  });
});
