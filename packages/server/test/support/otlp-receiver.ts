import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP JSON export carries it, flattened with the attributes we assert on. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  attributes: Record<string, string | number | boolean | undefined>;
  serviceName: string | undefined;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: OtlpAttribute[];
      }>;
    }>;
  }>;
}

function flatten(attributes: OtlpAttribute[] = []): ReceivedSpan['attributes'] {
  const flat: ReceivedSpan['attributes'] = {};
  for (const { key, value } of attributes) {
    flat[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue;
  }
  return flat;
}

/**
 * A minimal OTLP/HTTP traces receiver on 127.0.0.1 (JSON encoding, what
 * @opentelemetry/exporter-trace-otlp-http sends). Stop it with `close()`.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly #server: Server;
  #waiters: Array<{ count: number; resolve: () => void }> = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<OtlpReceiver> {
    let receiver: OtlpReceiver | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (
          request.method !== 'POST' ||
          request.url !== '/v1/traces' ||
          !request.headers['content-type']?.includes('json')
        ) {
          response.writeHead(415).end();
          return;
        }
        receiver!.#accept(JSON.parse(body.toString('utf8')) as OtlpExport);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    receiver = new OtlpReceiver(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Resolves once at least `count` spans arrived. */
  waitForSpans(count: number): Promise<void> {
    if (this.spans.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(payload: OtlpExport): void {
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const serviceName = flatten(resourceSpans.resource?.attributes)['service.name'] as string | undefined;
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            attributes: flatten(span.attributes),
            serviceName,
          });
        }
      }
    }
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.spans.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }
}
