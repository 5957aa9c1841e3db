import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.ts';
import { redactUrl } from './redact-url.ts';

/**
 * Paths pino censors in every log line. Keys and provider secrets must never reach the logs, even at
 * debug level, and even when someone logs a whole config or header object.
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  'api_key',
  'key',
  'rawKey',
  '*.apiKey',
  '*.api_key',
  '*.rawKey',
  '*.adminKey',
  '*.metricsToken',
  '*.*.apiKey',
  'config.providers',
  'config.database.url',
  'config.redis.url',
];

/** What a logged request shows: Fastify's fields, with credentials taken out of its URL. */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

function requestSerializer(request: LoggedRequest) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
    version: request.headers?.['accept-version'],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Fields of logged errors that hold a URL (the AI SDK's call errors carry the request's `url`). */
const urlFields = new Set(['url', 'uri', 'href', 'baseUrl', 'baseURL', 'proxy']);

/**
 * pino's error serializer, with credentials taken out of the URLs an error or its causes carry. The
 * serialized object is new and changed in place; nested objects belong to the error and are copied.
 */
function errorSerializer(error: Error) {
  const serialized = pino.stdSerializers.err(error) as unknown;
  // `err` also carries plain messages (`{ err: error.message }`): only an object is walked, as
  // writing into a string throws, and a throw inside a client's 'error' listener ends the process.
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const fields = serialized as Record<string, unknown>;
  for (const [field, value] of Object.entries(fields)) fields[field] = withoutCredentials(field, value, 0);
  return fields;
}

function withoutCredentials(field: string, value: unknown, depth: number): unknown {
  if (typeof value === 'string') return urlFields.has(field) ? redactUrl(value) : value;
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value; // dates, buffers, arrays
  const copy: Record<string, unknown> = {};
  for (const [inner, innerValue] of Object.entries(value))
    copy[inner] = withoutCredentials(inner, innerValue, depth + 1);
  return copy;
}

export function createLogger(
  config: Pick<Config, 'log' | 'telemetry'>,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: config.log.level,
      base: { service: config.telemetry.serviceName },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // Fastify's own `req` serializer yields to the logger's, so every request line goes through this one.
      serializers: { req: requestSerializer, err: errorSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
