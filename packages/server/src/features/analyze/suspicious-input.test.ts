import fc from 'fast-check';
import { RE2JS } from 're2js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectSuspiciousInput, suspiciousPatterns, suspiciousTrigger } from './suspicious-input.ts';

const kinds = (text: string) => detectSuspiciousInput(text).map((finding) => finding.kind);

describe('detectSuspiciousInput', () => {
  it.each([
    ['Summarize <script>alert(1)</script> please', 'script_tag'],
    ['<SCRIPT src="//evil.example/x.js">', 'script_tag'],
    ['click <a href="javascript:steal()">here</a>', 'javascript_url'],
    ['<img src=x onerror=alert(1)>', 'event_handler'],
    ["name = '' OR 1=1", 'sql_injection'],
    ["admin'; DROP TABLE users; --", 'sql_injection'],
    ['id=1 UNION SELECT password FROM users', 'sql_injection'],
    ['{{ constructor.constructor("return process")() }}', 'template_injection'],
  ])('flags %j as %s', (text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it.each([
    'Translate Hello World to French',
    'What is the SELECT statement in SQL and how do I join two tables?',
    'Book a table for 2 at 7pm; union square area please',
    'Write a JavaScript function that sums an array',
    'The script of the movie was great',
  ])('does not flag ordinary prompt %j', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  it('returns a short excerpt, never the whole prompt', () => {
    const text = `${'a'.repeat(5000)}<script>x</script>${'b'.repeat(5000)}`;
    const [finding] = detectSuspiciousInput(text);
    expect(finding!.excerpt.length).toBeLessThan(80);
    expect(finding!.excerpt).toContain('<script>');
  });

  // The quick pre-check may only skip texts that no pattern matches: texts made of pieces of every
  // pattern (and of ordinary words) must never match a pattern without also matching the pre-check.
  it('never skips a text that some pattern matches', () => {
    const cores = [
      '<script>',
      '< SCRIPT src=x>',
      'JavaScript :',
      '<img src=x onerror=',
      '<a onclick =',
      "' or 1=1",
      "'AND '2'='2",
      '; DROP TABLE',
      ';delete from',
      '; insert  into',
      'UNION ALL SELECT',
      'union select',
      "';--",
      "' --",
      '{{ constructor',
      '{{a.__proto__',
      '{{ process',
      '{{require',
    ];
    const noise = [' ', 'a', 'Translate', 'french', '\n', '=', '1', ':', '-', '.', 'é', '>', '"'];
    const text = fc
      .array(fc.oneof(fc.constantFrom(...cores), fc.constantFrom(...noise)), { maxLength: 8 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 40 })), (candidate) => {
        const matched = suspiciousPatterns.some(({ pattern }) => pattern.test(candidate));
        if (matched) expect(suspiciousTrigger.test(candidate)).toBe(true);
        if (!suspiciousTrigger.test(candidate)) expect(detectSuspiciousInput(candidate)).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('detectSuspiciousInput: linear in the prompt, whatever it holds', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs every pattern on RE2, which has no backtracking', () => {
    expect(suspiciousTrigger).toBeInstanceOf(RE2JS);
    for (const { pattern } of suspiciousPatterns) expect(pattern).toBeInstanceOf(RE2JS);
  });

  /** Characters the patterns read to judge `text`: the engine's work, counted rather than timed. */
  function charactersRead(text: string): number {
    const read = vi.spyOn(String.prototype, 'charCodeAt');
    const findings = detectSuspiciousInput(text);
    const count = read.mock.calls.length;
    read.mockRestore();
    expect(findings.length).toBeLessThanOrEqual(suspiciousPatterns.length);
    return count;
  }

  it.each(['<', '‹', "'", "' ", '< ', '{{', "'\t", '<a onclick=x '])(
    'reads a prompt of 10,000 %j a bounded number of times per character, as for plain letters',
    (unit) => {
      const long = unit.repeat(10_000 / unit.length);
      const short = unit.repeat(1000 / unit.length);
      const letters = charactersRead('a'.repeat(long.length));
      // Every pattern and the trigger may read each character a few times; never once per pair.
      const passes = suspiciousPatterns.length + 1;
      expect(charactersRead(long)).toBeLessThanOrEqual(2 * passes * long.length);
      expect(charactersRead(long)).toBeLessThanOrEqual(2 * passes * letters);
      // The work per character does not grow with the prompt (quadratic work would grow tenfold).
      const perCharacter = (text: string) => charactersRead(text) / text.length;
      expect(perCharacter(long)).toBeLessThanOrEqual(2 * perCharacter(short));
    },
  );

  it('still finds what follows 10,000 angle brackets', () => {
    const text = `${'<'.repeat(10_000)}<img src=x onerror=alert(1)>`;
    expect(kinds(text)).toEqual(['event_handler']);
    expect(kinds('<'.repeat(10_000))).toEqual([]);
    expect(kinds('‹'.repeat(10_000))).toEqual([]);
  });
});
