/**
 * Whether an error means the database cannot be reached or cannot serve right now, as opposed to a
 * bug or a statement it refused. Such a request is answered 503 `database_unavailable` with
 * Retry-After: the client did nothing wrong and the same call will work once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return matches(error, 0);
}

/** Socket failures while connecting to, or talking with, the database server. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs: class 08 (connection exception), 57P01–57P03 (administrator or crash
 * shutdown, cannot connect now: a restart or failover), 53300 (too many connections).
 */
const postgresStates = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** What node-postgres and its pool say when the server went away or never answered. */
const driverMessages =
  /connection terminated|timeout exceeded when trying to connect|not queryable|query read timeout|the database system is (starting up|shutting down|in recovery mode)/i;

/** SQLite primary result codes: BUSY, LOCKED, IOERR, FULL, CANTOPEN. */
const sqliteCodes = new Set([5, 6, 10, 13, 14]);

interface DriverError {
  code?: unknown;
  errcode?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function matches(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as DriverError;
  if (typeof e.code === 'string' && (socketCodes.has(e.code) || postgresStates.test(e.code))) return true;
  if (typeof e.errcode === 'number' && sqliteCodes.has(e.errcode & 0xff)) return true;
  if (typeof e.message === 'string' && driverMessages.test(e.message)) return true;
  // Several addresses tried (`localhost` as ::1 and 127.0.0.1) fail together as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((inner) => matches(inner, depth + 1))) return true;
  return matches(e.cause, depth + 1);
}
