import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on loopback: records every request and answers with the next status of
 * `statuses` (the last one repeats), optionally with extra headers (a redirect's Location).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  #statuses: number[];
  #headers: Record<string, string>;
  readonly #server: Server;

  private constructor(statuses: number[], headers: Record<string, string>) {
    this.#statuses = statuses;
    this.#headers = headers;
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.#statuses.length > 1 ? this.#statuses.shift()! : this.#statuses[0]!;
        response.writeHead(status, { 'content-type': 'text/plain', ...this.#headers });
        response.end(`answer ${status}`);
      });
    });
  }

  static async start(options: { statuses?: number[]; host?: string; headers?: Record<string, string> } = {}) {
    const receiver = new WebhookReceiver(options.statuses ?? [200], options.headers ?? {});
    await new Promise<void>((resolve) => receiver.#server.listen(0, options.host ?? '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    const address = this.#server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/hook`;
  }

  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`received ${this.received.length} of ${count} webhooks`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.received;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
