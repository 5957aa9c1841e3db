import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Wire format of values in Redis: one flag byte, then the payload. The flag lets compressed and
 * plain values coexist (the threshold can change between deploys) and lets a future format be added
 * without a flush.
 */
export const PLAIN_FLAG = 0x00;
export const DEFLATE_FLAG = 0x01;

/** Guards against a corrupted or hostile entry inflating into gigabytes. */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

export function encodeValue(value: string, compressThresholdBytes: number): Buffer {
  const plain = Buffer.from(value, 'utf8');
  if (plain.length > compressThresholdBytes) {
    // Sync deflate: cached values are a few KB, where the thread-pool hop of the async API costs more
    // than the compression itself. zlib (not raw) keeps the Adler-32 check so corruption is detected.
    const compressed = deflateSync(plain);
    if (compressed.length < plain.length) return Buffer.concat([Buffer.of(DEFLATE_FLAG), compressed]);
  }
  return Buffer.concat([Buffer.of(PLAIN_FLAG), plain]);
}

/** Returns undefined for a value this version cannot read (unknown flag, corrupt data): a miss. */
export function decodeValue(stored: Buffer): string | undefined {
  if (stored.length === 0) return undefined;
  const flag = stored[0];
  const payload = stored.subarray(1);
  if (flag === PLAIN_FLAG) return payload.toString('utf8');
  if (flag === DEFLATE_FLAG) {
    try {
      return inflateSync(payload, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
    } catch {
      return undefined;
    }
  }
  return undefined;
}
