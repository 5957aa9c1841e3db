import { describe, expect, it } from 'vitest';
import { globMatcher } from './cache-store.ts';

describe('globMatcher', () => {
  it('gives * and ? the meaning Redis MATCH gives them, and every other character its own', () => {
    const invoices = globMatcher('sps:invoice_*');
    expect(invoices('sps:invoice_2024')).toBe(true);
    expect(invoices('sps:invoice_')).toBe(true);
    expect(invoices('sps:invoices')).toBe(false);
    expect(globMatcher('a?c')('abc')).toBe(true);
    expect(globMatcher('a?c')('ac')).toBe(false);
    expect(globMatcher('a.c')('abc')).toBe(false);
    expect(globMatcher('(x)+[y]/-$')('(x)+[y]/-$')).toBe(true);
    expect(globMatcher('line*end')('line\nbreak end')).toBe(true);
  });

  it('answers a pattern that would make a backtracking engine explode', () => {
    // `a*a*…a*b` against 5,000 a's: exponential work for a backtracking RegExp, linear on RE2.
    expect(globMatcher(`${'a*'.repeat(25)}b`)('a'.repeat(5000))).toBe(false);
    expect(globMatcher(`${'a*'.repeat(25)}b`)(`${'a'.repeat(5000)}b`)).toBe(true);
  });
});
