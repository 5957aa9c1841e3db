import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../analyze/validator-cache.ts';
import { libraryTemplates } from './template-library-data.ts';
import { checkDeclaration, renderValues } from './template-parameters.ts';
import { TemplateRenderer } from './template-renderer.ts';

const renderer = new TemplateRenderer({
  maxTemplateChars: 20_000,
  renderTimeoutMs: 200,
  maxOutputChars: 50_000,
});
const validators = new ValidatorCache({ maxEntries: 100 });

describe('the built-in template library', () => {
  it('has unique names and at least the invoice, support triage and translation templates', () => {
    const names = libraryTemplates.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['invoice-extraction', 'support-triage', 'translation']));
  });

  it.each(libraryTemplates.map((entry) => [entry.name, entry] as const))(
    '%s declares every variable it reads and renders with only its required parameters',
    async (_name, entry) => {
      const { template, parameters } = entry.content;
      expect(() => checkDeclaration(parameters, renderer.variablesOf(template), validators)).not.toThrow();
      const required = Object.fromEntries(
        parameters
          .filter((parameter) => parameter.required)
          .map((parameter) => [
            parameter.name,
            parameter.type === 'array' ? ['alpha', 'beta'] : 'SAMPLE-VALUE',
          ]),
      );
      const prompt = await renderer.render(template, renderValues(parameters, required, validators));
      expect(prompt).toContain('SAMPLE-VALUE');
      expect(prompt).not.toMatch(/\{\{|\{%/);
    },
  );
});
