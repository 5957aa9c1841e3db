/**
 * How the gateway reaches vendor APIs. The server fills this in from its validated config; nothing
 * in the gateway reads the process environment.
 */
export interface TransportOptions {
  /** Most connections open at once to one origin (scheme, host and port); unset: no limit. */
  connectionsPerOrigin?: number;
  /** Proxy for `https://` vendor URLs (CONNECT tunnel), e.g. `http://user:secret@proxy.internal:3128`. */
  httpsProxy?: string;
  /** Proxy for `http://` vendor URLs; also used for `https://` ones when `httpsProxy` is unset. */
  httpProxy?: string;
  /** Hosts reached without the proxy, comma or space separated: `host`, `.domain`, `host:port` or `*`. */
  noProxy?: string;
  /** PEM file of certificate authorities trusted in addition to Node's default ones. */
  caFile?: string;
  /** Largest answer read from a vendor; a longer one fails as a malformed response. Default 16 MiB. */
  maxAnswerBytes?: number;
}
