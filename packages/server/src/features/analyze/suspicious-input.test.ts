import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
