import { Agent, request } from 'undici';
import type { SsrfGuard } from './ssrf-guard.ts';
import type { SignedHeaders } from './webhook-signature.ts';

/** What one delivery attempt came to; `statusCode` absent when no HTTP answer arrived. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode?: number;
  latencyMs: number;
  /** The start of the receiver's answer (at most `maxResponseBytes`), for the delivery log. */
  responseBody?: string;
  error?: string;
}

export interface SenderOptions {
  guard: SsrfGuard;
  timeoutMs: number;
  /** Bytes of the receiver's answer that are read; the rest is discarded. */
  maxResponseBytes?: number;
}

/**
 * POSTs signed events. The connection's DNS lookup is the guard's, so the checked address is the
 * one connected to; redirects are not followed (a 3xx is a failed attempt); any 2xx is success.
 */
export class WebhookSender {
  readonly #guard: SsrfGuard;
  readonly #timeoutMs: number;
  readonly #maxResponseBytes: number;
  readonly #agent: Agent;

  constructor(options: SenderOptions) {
    this.#guard = options.guard;
    this.#timeoutMs = options.timeoutMs;
    this.#maxResponseBytes = options.maxResponseBytes ?? 4096;
    this.#agent = new Agent({
      connect: { lookup: options.guard.lookup, timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async send(url: string, headers: SignedHeaders, body: string): Promise<AttemptOutcome> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      this.#guard.checkUrl(url);
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'user-agent': 'structured-prompt-webhooks',
        },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const responseBody = await this.#readCapped(response.body);
      const ok = response.statusCode >= 200 && response.statusCode < 300;
      return { ok, statusCode: response.statusCode, latencyMs: elapsed(), responseBody };
    } catch (error) {
      return { ok: false, latencyMs: elapsed(), error: describe(error) };
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= this.#maxResponseBytes) {
        body.destroy();
        break;
      }
    }
    return Buffer.concat(chunks).subarray(0, this.#maxResponseBytes).toString('utf8');
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
