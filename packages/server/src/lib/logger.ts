import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.ts';

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

export function createLogger(
  config: Pick<Config, 'log' | 'telemetry'>,
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: config.log.level,
      base: { service: config.telemetry.serviceName },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
