import { StructuredPromptError } from './errors.ts';

/** A webhook whose signature, or timestamp, does not check out. */
export class WebhookVerificationError extends StructuredPromptError {}

export interface VerifyWebhookOptions {
  /** Seconds a delivery's timestamp may differ from now (replay protection); default 300. */
  toleranceSeconds?: number;
  /** The current time in seconds (for tests). */
  now?: number;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

const secretPrefix = 'whsec_';

/**
 * Checks a delivery signed by the Standard Webhooks convention and returns its parsed payload.
 * `body` must be the raw request body, exactly as received. Throws WebhookVerificationError when
 * no signature matches the secret or the timestamp is outside the tolerance. Uses Web Crypto, so it
 * runs in Node, Deno, Bun, edge runtimes and browsers alike.
 */
export async function verifyWebhook<T = unknown>(
  body: string,
  headers: HeaderSource,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<T> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('missing webhook headers');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds) || Math.abs(now - seconds) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('webhook timestamp outside the tolerance');
  }
  const expected = await sign(secret, `${id}.${timestamp}.${body}`);
  const matches = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => constantTimeEqual(entry.slice(3), expected));
  if (!matches) throw new WebhookVerificationError('no webhook signature matches the secret');
  return JSON.parse(body) as T;
}

async function sign(secret: string, content: string): Promise<string> {
  const raw = secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret;
  const keyBytes = Uint8Array.from(atob(raw), (char) => char.charCodeAt(0));
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(content)));
  return btoa(String.fromCharCode(...mac));
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}
