import { describe, expect, it } from 'vitest';
import { TemplateRenderer } from './template-renderer.ts';

const limits = { maxTemplateChars: 200, renderTimeoutMs: 100, maxOutputChars: 1000 };
const renderer = new TemplateRenderer(limits);

async function problemOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string; errors?: Array<{ path: string }> };
  }
  throw new Error('expected the render to be refused');
}

describe('TemplateRenderer', () => {
  it('renders variables, filters, conditions and loops', async () => {
    const text = '{{ name | upcase }}{% if vip %}!{% endif %}{% for tag in tags %} #{{ tag }}{% endfor %}';
    expect(await renderer.render(text, { name: 'ada', vip: true, tags: ['a', 'b'] })).toBe('ADA! #a #b');
    expect(renderer.variablesOf(text).sort()).toEqual(['name', 'tags', 'vip']);
  });

  it.each([
    ['an unknown variable', 'Hello {{ nobody }}', {}],
    ['an unknown filter', '{{ name | shout }}', { name: 'x' }],
    ['a property of a prototype', '{{ name.constructor }}', { name: 'x' }],
    ['an include', '{% include "/etc/passwd" %}', {}],
    ['a layout', '{% layout "base" %}', {}],
    ['a render of a file', '{% render "partial" %}', {}],
    ['a render over the output cap', '{% for i in (1..500) %}xyz{% endfor %}', {}],
    ['a render that allocates too much', '{% for i in (1..100000000) %}{% endfor %}', {}],
    [
      'a render that does not end in time',
      '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}',
      {},
    ],
    ['a template over the length cap', 'x'.repeat(201), {}],
  ])('refuses %s with a 400 naming the template', async (_title, text, values) => {
    const problem = await problemOf(renderer.render(text, values));
    expect(problem.code).toBe('validation_error');
    expect(problem.errors?.[0]?.path).toBe('/body/template');
  });

  it('names the cap a render ran into', async () => {
    const slow = '{% for i in (1..3000) %}{% for j in (1..3000) %}{% endfor %}{% endfor %}';
    expect((await problemOf(renderer.render(slow, {}))).message).toMatch(/render limit exceeded/);
    const greedy = '{% for i in (1..100000000) %}{% endfor %}';
    expect((await problemOf(renderer.render(greedy, {}))).message).toMatch(/memory alloc limit exceeded/);
  });

  it('refuses to parse what it cannot render, before anything is stored', () => {
    expect(() => renderer.variablesOf('{% if x %}open')).toThrow(/cannot be parsed/);
    expect(() => renderer.variablesOf('{% include "x" %}')).toThrow(/not available/);
  });
});
