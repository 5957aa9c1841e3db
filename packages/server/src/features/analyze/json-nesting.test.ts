import { describe, expect, it } from 'vitest';
import { findJsonNestingOver } from './json-nesting.ts';

describe('findJsonNestingOver', () => {
  it('names the path to the first value nested deeper than the limit', () => {
    const value = { a: 1, b: { c: [{ d: { e: 'deep' } }] } };
    expect(findJsonNestingOver(value, 4)).toEqual(['b', 'c', '0', 'd']);
    expect(findJsonNestingOver(value, 5)).toBeUndefined();
  });

  it('walks nesting far beyond the stack depth without recursion', () => {
    let deep: unknown = 1;
    for (let index = 0; index < 100_000; index += 1) deep = [deep];
    expect(findJsonNestingOver(deep, 128)).toHaveLength(128);
  });
});
