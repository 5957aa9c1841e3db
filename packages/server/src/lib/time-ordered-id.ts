import { randomFillSync } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562): a 48-bit millisecond timestamp, then 74 random bits. Ids minted later
 * sort later, so a B-tree index over them grows at its right edge: PostgreSQL and SQLite touch one
 * hot page per insert instead of a random one (ADR 0014). Used for row ids and request ids.
 */

// Random bytes come from the OS in 4 KB blocks, not 10 at a time: every request mints one or two ids.
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;
const hexDigits = Buffer.from('0123456789abcdef', 'latin1');
/**
 * The id is written as ASCII into this buffer and read out once: one flat string. Joining 20 pieces
 * with `+` would leave a chain of rope nodes per id, and request ids live as long as their request.
 */
const text = Buffer.alloc(36);
const dashes = [8, 13, 18, 23];

function writeByte(at: number, byte: number): void {
  text[at] = hexDigits[byte >>> 4]!;
  text[at + 1] = hexDigits[byte & 0x0f]!;
}

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
  writeByte(0, (high >>> 8) & 0xff);
  writeByte(2, high & 0xff);
  writeByte(4, low >>> 24);
  writeByte(6, (low >>> 16) & 0xff);
  writeByte(9, (low >>> 8) & 0xff);
  writeByte(11, low & 0xff);
  writeByte(14, 0x70 | (random[at]! & 0x0f));
  writeByte(16, random[at + 1]!);
  writeByte(19, 0x80 | (random[at + 2]! & 0x3f));
  writeByte(21, random[at + 3]!);
  for (let index = 0; index < 6; index++) writeByte(24 + index * 2, random[at + 4 + index]!);
  for (const dash of dashes) text[dash] = 0x2d;
  return text.toString('latin1', 0, 36);
}

/** The millisecond timestamp a version-7 id carries. */
export function timeOfId(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
