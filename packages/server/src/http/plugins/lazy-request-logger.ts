import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';
import type { Logger } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogArguments = Parameters<FastifyBaseLogger['info']>;

/**
 * Fastify builds a child logger (bound to the request id) for every request. With redaction
 * configured, pino serializes and redacts the bindings at that moment, which showed up in every cache
 * hit's profile although most requests never log a line. This child is created on the first line
 * that would actually be written: a call below the logger's level stays a no-op and costs nothing.
 */
class LazyRequestLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get #real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real.child(bindings, options);
  }

  // Prototype methods, not per-instance closures: one small object per request is the whole cost.
  silent(): void {}
  fatal(...args: LogArguments): void {
    this.#write('fatal', args);
  }
  error(...args: LogArguments): void {
    this.#write('error', args);
  }
  warn(...args: LogArguments): void {
    this.#write('warn', args);
  }
  info(...args: LogArguments): void {
    this.#write('info', args);
  }
  debug(...args: LogArguments): void {
    this.#write('debug', args);
  }
  trace(...args: LogArguments): void {
    this.#write('trace', args);
  }

  #write(level: Level, args: LogArguments): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return;
    (this.#real[level] as (...values: LogArguments) => void)(...args);
  }
}

/**
 * A child that is built on its first written line. A route with its own log level or serializers gets
 * a real child at once, since its level decides what is written and the parent cannot answer for it;
 * so does a logger that is not pino.
 */
export function lazyChild(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const parent = logger as Partial<Logger>;
  if (
    options.level !== undefined ||
    options.serializers !== undefined ||
    typeof parent.isLevelEnabled !== 'function'
  )
    return logger.child(bindings, options);
  return new LazyRequestLogger(parent as Logger, bindings, options) as unknown as FastifyBaseLogger;
}

/**
 * The logger to give Fastify as `loggerInstance`: the same logger (every method and setting reached
 * through its prototype), whose `child` gives lazy children. Fastify builds each request's logger by
 * calling `child` on it. A custom `childLoggerFactory` would do the same, but Fastify then checks the
 * child's seven methods on every request, about 3,000 instructions of a cache hit.
 *
 * A child that has to be real at once (Fastify derives one with its serializers at start-up, and a
 * route with its own level gets one per request) is wrapped the same way, so its children are lazy.
 */
export function withLazyRequestChildren(logger: FastifyBaseLogger): FastifyBaseLogger {
  const root = Object.create(logger) as FastifyBaseLogger;
  root.child = ((bindings: Bindings, options?: ChildLoggerOptions) => {
    const child = lazyChild(logger, bindings, options ?? {});
    return child instanceof LazyRequestLogger ? child : withLazyRequestChildren(child);
  }) as FastifyBaseLogger['child'];
  return root;
}
