import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Static, Type } from 'typebox';

const ProxyUrl = Type.String({ format: 'uri', pattern: '^https?://' });

/**
 * How the gateway reaches vendor APIs: an egress proxy, extra certificate authorities, and a cap on
 * connections per vendor. See docs/providers.md ("Network").
 */
export const TransportSection = Type.Object(
  {
    /** Proxy for `https://` vendor URLs; credentials may be part of the URL. */
    httpsProxy: Type.Optional(ProxyUrl),
    /** Proxy for `http://` vendor URLs, and for `https://` ones when `httpsProxy` is unset. */
    httpProxy: Type.Optional(ProxyUrl),
    /** Hosts reached without the proxy: `host`, `.domain`, `host:port` or `*`, comma separated. */
    noProxy: Type.Optional(Type.String()),
    /** PEM file of certificate authorities trusted besides Node's defaults (a corporate TLS proxy's). */
    caFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Most connections open at once to one vendor origin; unset: as many as calls in flight. */
    connectionsPerOrigin: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
  },
  { default: {}, additionalProperties: false },
);

export type TransportConfig = Static<typeof TransportSection>;

/**
 * Resolves `caFile` against `cwd` and checks at boot that it holds a certificate, so a wrong path
 * fails the start instead of the first provider call. Returns one line per problem.
 */
export function resolveTransportFiles(transport: TransportConfig, cwd: string): string[] {
  if (transport.caFile === undefined) return [];
  const path = resolve(cwd, transport.caFile);
  const where = 'PROVIDER_CA_FILE (transport.caFile)';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return [`${where}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`];
  }
  try {
    new X509Certificate(text);
  } catch {
    return [`${where}: ${path} does not hold a PEM certificate`];
  }
  transport.caFile = path;
  return [];
}
