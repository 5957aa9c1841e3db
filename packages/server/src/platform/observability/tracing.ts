import { AsyncLocalStorage } from 'node:async_hooks';
import type { Attributes, Context, Tracer as OtelTracer, Span, SpanStatusCode } from '@opentelemetry/api';
import type { SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { loadOnFirstUse } from '@structured-prompt/gateway';

// OpenTelemetry (about 300 modules) is loaded only when tracing is on: a server without a collector
// never needs it, and it would be a large share of the idle process's memory.
const otelApi = loadOnFirstUse<typeof import('@opentelemetry/api')>('@opentelemetry/api', import.meta.url);
const otelSdk = loadOnFirstUse<typeof import('@opentelemetry/sdk-trace')>(
  '@opentelemetry/sdk-trace',
  import.meta.url,
);
const otlpExporter = loadOnFirstUse<typeof import('@opentelemetry/exporter-trace-otlp-http')>(
  '@opentelemetry/exporter-trace-otlp-http',
  import.meta.url,
);
const otelResources = loadOnFirstUse<typeof import('@opentelemetry/resources')>(
  '@opentelemetry/resources',
  import.meta.url,
);
const semanticConventions = loadOnFirstUse<typeof import('@opentelemetry/semantic-conventions')>(
  '@opentelemetry/semantic-conventions',
  import.meta.url,
);

/** `SpanStatusCode.ERROR`, as a literal so that marking a span failed does not load the API. */
export const spanStatusError = 2 as SpanStatusCode.ERROR;

/** Span names, one per stage of a request, so dashboards and tests agree on them. */
export const spanNames = {
  http: 'http.request',
  auth: 'auth',
  rateLimit: 'rate_limit',
  cacheLookup: 'cache.lookup',
  providerAttempt: 'provider.attempt',
  validation: 'validation',
  dbWrite: 'db.write',
} as const;

/** Every span of a request carries the id the client sees in `X-Request-ID`. */
export const requestIdAttribute = 'sps.request_id';

export interface TelemetrySettings {
  /** OTLP/HTTP endpoint: a collector base URL (`/v1/traces` is appended) or the full traces URL. */
  otlpEndpoint?: string;
  serviceName: string;
}

export interface TracerOptions {
  version?: string;
  /** Replaces the OTLP exporter (tests, or another backend). */
  exporter?: SpanExporter;
  /** Export each span as it ends instead of in batches; for tests that read the receiver at once. */
  exportImmediately?: boolean;
}

/** The part of a span the app touches; a no-op when tracing is off. */
export interface SpanHandle {
  setAttributes(attributes: Attributes): void;
  recordError(error: unknown): void;
  end(): void;
}

export interface ActiveTrace {
  context: Context;
  requestId?: string;
}

const noopSpan: SpanHandle = { setAttributes() {}, recordError() {}, end() {} };

function wrap(span: Span): SpanHandle {
  return {
    setAttributes: (attributes) => span.setAttributes(attributes),
    recordError: (error) => {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: spanStatusError, message: error instanceof Error ? error.name : 'error' });
    },
    end: () => span.end(),
  };
}

export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/$/, '')}/v1/traces`;
  return url.toString();
}

/**
 * The app's tracing facade. Off (every call a cheap pass-through) unless an OTLP endpoint is
 * configured. It keeps its own provider and async context instead of registering OpenTelemetry
 * globals, so several apps in one process (tests) each trace on their own. That is why it builds on
 * @opentelemetry/sdk-trace rather than sdk-node: sdk-node registers process-wide globals and brings
 * auto-instrumentation we do not use; the spans we want are the explicit stages below.
 */
export class Tracer {
  readonly enabled: boolean;
  readonly #provider: TracerProvider | undefined;
  readonly #tracer: OtelTracer | undefined;
  readonly #api: typeof import('@opentelemetry/api') | undefined;
  readonly #active = new AsyncLocalStorage<ActiveTrace>();

  constructor(telemetry: TelemetrySettings, options: TracerOptions = {}) {
    this.enabled = options.exporter !== undefined || Boolean(telemetry.otlpEndpoint);
    if (!this.enabled) return;
    this.#api = otelApi();
    const sdk = otelSdk();
    const semconv = semanticConventions();
    const exporter =
      options.exporter ??
      new (otlpExporter().OTLPTraceExporter)({ url: tracesUrl(telemetry.otlpEndpoint ?? '') });
    const processor = options.exportImmediately
      ? new sdk.SimpleSpanProcessor({ exporter })
      : new sdk.BatchSpanProcessor({ exporter });
    this.#provider = new sdk.TracerProvider({
      resource: otelResources().resourceFromAttributes({
        [semconv.ATTR_SERVICE_NAME]: telemetry.serviceName,
        ...(options.version ? { [semconv.ATTR_SERVICE_VERSION]: options.version } : {}),
      }),
      spanProcessors: [processor],
    });
    this.#tracer = this.#provider.getTracer('structured-prompt-service', options.version);
  }

  /** Starts a child of the active span (or a root span). It does not become active: end it yourself. */
  startSpan(name: string, attributes: Attributes = {}): SpanHandle {
    const span = this.#start(name, attributes);
    return span ? wrap(span) : noopSpan;
  }

  /**
   * Runs `fn` inside a span that is active for everything it awaits; errors are recorded and rethrown.
   * With tracing off it is a plain call: no span, no extra promise.
   */
  withSpan<T>(name: string, attributes: Attributes, fn: (span: SpanHandle) => T | Promise<T>): Promise<T> {
    const span = this.#start(name, attributes);
    if (!span) return Promise.resolve(fn(noopSpan));
    return this.#runInSpan(span, fn);
  }

  async #runInSpan<T>(span: Span, fn: (span: SpanHandle) => T | Promise<T>): Promise<T> {
    const api = this.#api!;
    const handle = wrap(span);
    const parent = this.#active.getStore();
    const active: ActiveTrace = {
      context: api.trace.setSpan(parent?.context ?? api.ROOT_CONTEXT, span),
      requestId: parent?.requestId,
    };
    try {
      return await this.#active.run(active, () => fn(handle));
    } catch (error) {
      handle.recordError(error);
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * Records a span that already finished, for stages reported after the fact (the router's
   * `onAttempt` event gives a duration, not a callback to wrap).
   */
  recordSpan(name: string, attributes: Attributes, timing: { durationMs: number; error?: unknown }): void {
    const endTime = Date.now();
    const span = this.#start(name, attributes, endTime - timing.durationMs);
    if (!span) return;
    if (timing.error !== undefined) wrap(span).recordError(timing.error);
    span.end(endTime);
  }

  auth<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.withSpan(spanNames.auth, {}, fn);
  }

  rateLimit<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.withSpan(spanNames.rateLimit, {}, fn);
  }

  cacheLookup<T>(fn: (span: SpanHandle) => T | Promise<T>): Promise<T> {
    return this.withSpan(spanNames.cacheLookup, {}, fn);
  }

  providerAttempt<T>(
    attempt: { provider: string; model: string; attempt: number },
    fn: (span: SpanHandle) => T | Promise<T>,
  ): Promise<T> {
    return this.withSpan(spanNames.providerAttempt, providerAttributes(attempt), fn);
  }

  validation<T>(fn: (span: SpanHandle) => T | Promise<T>): Promise<T> {
    return this.withSpan(spanNames.validation, {}, fn);
  }

  dbWrite<T>(table: string, fn: () => T | Promise<T>): Promise<T> {
    return this.withSpan(spanNames.dbWrite, { 'db.collection.name': table }, fn);
  }

  /**
   * Starts the server span of an HTTP request and returns the async context to run the rest of the
   * request in (see http-tracing.plugin.ts); undefined when tracing is off.
   */
  startRequest(requestId: string, attributes: Attributes): { span: Span; active: ActiveTrace } | undefined {
    const api = this.#api;
    if (!this.#tracer || !api) return undefined;
    const span = this.#tracer.startSpan(
      spanNames.http,
      { kind: api.SpanKind.SERVER, attributes: { ...attributes, [requestIdAttribute]: requestId } },
      api.ROOT_CONTEXT,
    );
    return { span, active: { context: api.trace.setSpan(api.ROOT_CONTEXT, span), requestId } };
  }

  /** Runs `fn` with `active` as the current trace context (used by the HTTP plugin's hooks). */
  runIn<T>(active: ActiveTrace, fn: () => T): T {
    return this.#active.run(active, fn);
  }

  async forceFlush(): Promise<void> {
    await this.#provider?.forceFlush();
  }

  /** Exports what is buffered and stops; call on shutdown after the server closed. */
  async shutdown(): Promise<void> {
    await this.#provider?.shutdown();
  }

  #start(name: string, attributes: Attributes, startTime?: number): Span | undefined {
    const api = this.#api;
    if (!this.#tracer || !api) return undefined;
    const parent = this.#active.getStore();
    const withId = parent?.requestId ? { ...attributes, [requestIdAttribute]: parent.requestId } : attributes;
    return this.#tracer.startSpan(
      name,
      { attributes: withId, startTime },
      parent?.context ?? api.ROOT_CONTEXT,
    );
  }
}

export function providerAttributes(attempt: {
  provider: string;
  model: string;
  attempt: number;
}): Attributes {
  return {
    'gen_ai.provider.name': attempt.provider,
    'gen_ai.request.model': attempt.model,
    'sps.attempt': attempt.attempt,
  };
}

/** Builds the app's tracer from `config.telemetry`: off unless `otlpEndpoint` is set. */
export function createTracer(telemetry: TelemetrySettings, options: TracerOptions = {}): Tracer {
  return new Tracer(telemetry, options);
}
