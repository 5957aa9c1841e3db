/**
 * Query parameters whose value is a credential. A key sent in a query string is refused, but the URL
 * it arrived in still reaches the logs, so the value is censored there.
 */
const credentialParameter =
  /^(?:api[-_]?key|key|token|access[-_]?token|refresh[-_]?token|id[-_]?token|auth|password|passwd|pwd|secret|client[-_]?secret)$/i;

const censored = '[redacted]';

/** `scheme://user:password@host` → `scheme://[redacted]@host`. */
const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i;

/**
 * A URL (absolute, or a path with its query as a request line carries it) safe to log: credentials
 * in the userinfo part and the values of credential query parameters are replaced. Anything else,
 * order and encoding included, is kept as it was.
 */
export function redactUrl(url: string): string {
  const withoutUserinfo = url.replace(userinfo, `$1${censored}@`);
  const queryStart = withoutUserinfo.indexOf('?');
  if (queryStart < 0) return withoutUserinfo;
  const hashStart = withoutUserinfo.indexOf('#', queryStart);
  const end = hashStart < 0 ? withoutUserinfo.length : hashStart;
  const query = withoutUserinfo
    .slice(queryStart + 1, end)
    .split('&')
    .map(redactParameter)
    .join('&');
  return `${withoutUserinfo.slice(0, queryStart)}?${query}${withoutUserinfo.slice(end)}`;
}

function redactParameter(pair: string): string {
  const equals = pair.indexOf('=');
  const rawName = equals < 0 ? pair : pair.slice(0, equals);
  return credentialParameter.test(decodeName(rawName)) && equals >= 0 ? `${rawName}=${censored}` : pair;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).trim();
  } catch {
    return name;
  }
}
