import { randomFillSync } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): a 48-bit millisecond timestamp, then 74 random bits. Ids minted later
 * sort later, so a B-tree index over them grows at its right edge: PostgreSQL and SQLite touch one
 * hot page per insert instead of a random one (ADR 0014). Used for row ids and request ids.
 */

// Random bytes come from the OS in 4 KB blocks, not 10 at a time: every request mints one or two ids.
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function newId(now: number = Date.now()): string {
  if (randomOffset + 10 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const random = randomPool;
  const at = randomOffset;
  randomOffset += 10;
  // 48 bits do not fit in a 32-bit integer: split into the top 16 and the low 32 bits.
  const high = Math.floor(now / 0x1_0000_0000);
  const low = now >>> 0;
  return (
    hex[(high >>> 8) & 0xff]! +
    hex[high & 0xff]! +
    hex[low >>> 24]! +
    hex[(low >>> 16) & 0xff]! +
    '-' +
    hex[(low >>> 8) & 0xff]! +
    hex[low & 0xff]! +
    '-' +
    hex[0x70 | (random[at]! & 0x0f)]! +
    hex[random[at + 1]!]! +
    '-' +
    hex[0x80 | (random[at + 2]! & 0x3f)]! +
    hex[random[at + 3]!]! +
    '-' +
    hex[random[at + 4]!]! +
    hex[random[at + 5]!]! +
    hex[random[at + 6]!]! +
    hex[random[at + 7]!]! +
    hex[random[at + 8]!]! +
    hex[random[at + 9]!]!
  );
}

/** The millisecond timestamp a version-7 id carries. */
export function timeOfId(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
