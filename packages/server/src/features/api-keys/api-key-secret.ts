import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../../lib/canonical-json.ts';

const keyPattern = /^sp_[0-9a-f]{64}$/;

export interface GeneratedKey {
  /** Returned to the caller once, never stored. */
  raw: string;
  /** SHA-256 of the raw key: what the database keeps and lookups use. */
  hash: string;
  /** `sp_` plus 6 hex characters: enough to recognise a key in a list, useless to guess it. */
  prefix: string;
}

/** `sp_` + 64 hex characters = 256 random bits from the OS CSPRNG. */
export function generateApiKey(): GeneratedKey {
  return describeKey(`sp_${randomBytes(32).toString('hex')}`);
}

export function describeKey(raw: string): GeneratedKey {
  return { raw, hash: hashApiKey(raw), prefix: raw.slice(0, 9) };
}

/**
 * Keys carry 256 bits of entropy, so a fast unsalted hash is safe here (no dictionary to attack) and
 * lets lookups be one indexed equality on the hash.
 */
export function hashApiKey(raw: string): string {
  return sha256Hex(raw);
}

export function isWellFormedKey(raw: string): boolean {
  return keyPattern.test(raw);
}

/** Compares two secrets in time independent of where they differ. */
export function secretsEqual(left: string, right: string): boolean {
  const a = createHash('sha256').update(left).digest();
  const b = createHash('sha256').update(right).digest();
  return timingSafeEqual(a, b);
}

/** Reads the key from `X-API-Key` or `Authorization: Bearer`; undefined when neither is present. */
export function extractKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct.length > 0) return direct.trim();
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
    return authorization.trim();
  }
  return undefined;
}
