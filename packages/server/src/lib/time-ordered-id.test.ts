import { describe, expect, it } from 'vitest';
import { isUuid } from '../platform/storage/dialect.ts';
import { newId, timeOfId } from './time-ordered-id.ts';

describe('newId', () => {
  it('produces RFC 9562 version 7 UUIDs that sort by creation time', () => {
    const earlier = newId(Date.UTC(2026, 0, 1));
    const later = newId(Date.UTC(2026, 0, 1) + 1);
    expect(earlier).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUuid(earlier)).toBe(true);
    expect(earlier < later).toBe(true);
    expect(earlier.slice(0, 13)).toBe(newId(Date.UTC(2026, 0, 1)).slice(0, 13));
    expect(newId()).not.toBe(newId());
  });

  it('carries the 48-bit millisecond timestamp big-endian in its first 12 hex digits', () => {
    for (const at of [0, 1, 0xffff_ffff, 0x1_0000_0000, Date.UTC(2026, 11, 3, 4, 5, 6, 789), 2 ** 48 - 1]) {
      const id = newId(at);
      expect(id.slice(0, 8) + id.slice(9, 13)).toBe(at.toString(16).padStart(12, '0'));
      expect(timeOfId(id)).toBe(at);
    }
  });

  it('keeps ids unique across many random-pool refills', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 5000 }, () => newId(now)));
    expect(ids.size).toBe(5000);
  });
});
