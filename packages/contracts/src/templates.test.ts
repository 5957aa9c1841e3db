import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  CreateTemplateRequest,
  RenderTemplateRequest,
  RenderTemplateResponse,
  Template,
  TemplateVersion,
  UpdateTemplateRequest,
} from './templates.ts';

const examplesOf = (schema: object): unknown[] => (schema as { examples?: unknown[] }).examples ?? [];

describe('template contracts', () => {
  it.each([
    ['CreateTemplateRequest', CreateTemplateRequest],
    ['UpdateTemplateRequest', UpdateTemplateRequest],
    ['RenderTemplateRequest', RenderTemplateRequest],
    ['RenderTemplateResponse', RenderTemplateResponse],
    ['Template', Template],
    ['TemplateVersion', TemplateVersion],
  ])('%s has examples, and each one is valid', (_name, schema) => {
    expect(examplesOf(schema).length).toBeGreaterThan(0);
    for (const example of examplesOf(schema)) expect(Value.Check(schema, example)).toBe(true);
  });

  it('refuses names that could not be used in a reference, and unknown parameter types', () => {
    const base = { name: 'ok', template: 'x' };
    expect(Value.Check(CreateTemplateRequest, base)).toBe(true);
    for (const name of ['Upper', 'with space', 'at@sign', '', '-leading']) {
      expect(Value.Check(CreateTemplateRequest, { ...base, name }), name).toBe(false);
    }
    expect(Value.Check(CreateTemplateRequest, { ...base, parameters: [{ name: 'p', type: 'date' }] })).toBe(
      false,
    );
    expect(Value.Check(CreateTemplateRequest, { ...base, version: '1.0' })).toBe(false);
  });
});
