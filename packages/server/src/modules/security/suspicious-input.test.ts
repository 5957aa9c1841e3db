import { describe, expect, it } from 'vitest';
import { detectSuspiciousInput } from './suspicious-input.ts';

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
});
