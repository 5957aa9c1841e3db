import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error.ts';
import { TemplateRenderer } from './template-renderer.ts';

const limits = { maxTemplateChars: 2000, renderTimeoutMs: 50, maxOutputChars: 2000 };
const renderer = new TemplateRenderer(limits);

/** Pieces of Liquid, well-formed and not, so generated texts reach the parser's and renderer's corners. */
const fragment = fc.oneof(
  fc.constantFrom(
    '{{ a }}',
    '{{ b.c }}',
    '{{ a | upcase }}',
    '{{ a | nope }}',
    '{% if a %}',
    '{% endif %}',
    '{% for x in list %}',
    '{% endfor %}',
    '{% for i in (1..99999) %}',
    '{% assign z = a | append: a %}',
    '{{ z }}',
    '{% include "x" %}',
    '{% raw %}',
    '{% endraw %}',
    '{{',
    '}}',
    '{%',
    '%}',
    '{{ a.__proto__ }}',
    '{{ list | join: "," | size }}',
  ),
  fc.string({ maxLength: 20 }),
);
const text = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(''));
const values = fc.record({
  a: fc.string({ maxLength: 50 }),
  b: fc.dictionary(fc.string(), fc.string()),
  list: fc.array(fc.string(), { maxLength: 10 }),
});

describe('TemplateRenderer under arbitrary input', () => {
  it('either renders within the output cap or refuses with a 400, never anything else', async () => {
    await fc.assert(
      fc.asyncProperty(text, values, async (template, given) => {
        try {
          renderer.variablesOf(template);
          const output = await renderer.render(template, given);
          expect(output.length).toBeLessThanOrEqual(limits.maxOutputChars);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).status).toBe(400);
        }
      }),
      { numRuns: 300 },
    );
  });
});
