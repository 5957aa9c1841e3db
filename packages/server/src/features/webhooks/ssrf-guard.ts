import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../../lib/app-error.ts';

/**
 * Where webhooks may go (docs/architecture/0063-webhook-ssrf-guard.md). Only public unicast
 * addresses: loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * multicast, reserved and IPv6 unique-local ranges are refused unless an allow-listed CIDR covers
 * the address. The check runs at registration and again inside the connection's own DNS lookup on
 * every attempt, so the address checked is the address connected to (no DNS-rebinding window).
 */
export interface DestinationPolicy {
  /** Plain http (for local receivers in development and tests); https otherwise. */
  allowHttp: boolean;
  /** CIDRs reachable even though they are not public, e.g. `127.0.0.1/32`. */
  allowedCidrs: readonly string[];
}

class DestinationRefused extends Error {}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export class SsrfGuard {
  readonly #allowHttp: boolean;
  readonly #allowed: Cidr[];

  constructor(policy: DestinationPolicy) {
    this.#allowHttp = policy.allowHttp;
    this.#allowed = policy.allowedCidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Checks the URL's form and, for an IP literal, its address; 400 `webhook_url_refused` if not. */
  checkUrl(text: string): URL {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw refused(`"${text}" is not an absolute URL.`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.#allowHttp)) {
      throw refused(this.#allowHttp ? 'Webhook URLs use http or https.' : 'Webhook URLs must use https.');
    }
    if (url.username || url.password) throw refused('Webhook URLs must not carry credentials.');
    const literal = hostLiteral(url.hostname);
    if (literal && !this.isAllowedAddress(literal)) {
      throw refused(`${literal} is not a public address.`);
    }
    return url;
  }

  /** True for a public unicast address or one inside an allow-listed CIDR. */
  isAllowedAddress(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    }
    if (this.#allowed.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) {
      return true;
    }
    return parsed.range() === 'unicast';
  }

  /**
   * A `lookup` for `net.connect`: resolves the name and fails the connection when any address it
   * resolves to is refused, so a name that also points inside the network cannot be used.
   */
  readonly lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { all: true, family: familyOf(options.family) }, (error, addresses) => {
      if (error) return callback(error, []);
      const denied = addresses.find((entry) => !this.isAllowedAddress(entry.address));
      if (denied || addresses.length === 0) {
        return callback(
          new DestinationRefused(
            `${hostname} resolves to ${denied?.address ?? 'nothing'}, which is not a public address`,
          ),
          [],
        );
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

function familyOf(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function hostLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

function refused(detail: string): AppError {
  return new AppError('webhook_url_refused', detail);
}
