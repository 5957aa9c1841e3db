import { compileSchema, type JsonSchema } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { SchemaGuard } from '../../analyze/schema-guard.ts';
import { ValidatorCache } from '../../analyze/validator-cache.ts';
import { schemaLibrary } from './seed-library.ts';

const guard = new SchemaGuard({ maxSchemaBytes: 51_200, maxSchemaDepth: 10 });
const validators = new ValidatorCache({ maxEntries: 100 });

describe('the common schema library', () => {
  it('has at least ten schemas with unique names, including the five every deployment asks for', () => {
    const names = schemaLibrary.map((entry) => entry.name);
    expect(names.length).toBeGreaterThanOrEqual(10);
    expect(new Set(names).size).toBe(names.length);
    for (const name of [
      'invoice-extraction',
      'customer-support-intent',
      'document-classification',
      'form-extraction',
      'translation',
    ]) {
      expect(names).toContain(name);
    }
  });

  describe.each(schemaLibrary.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    it('passes the registration guard and has a description and tags', () => {
      expect(() => guard.check(entry.schema)).not.toThrow();
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.tags.length).toBeGreaterThan(0);
    });

    it('has an example prompt whose example output validates against the schema', () => {
      expect(entry.examples.length).toBeGreaterThan(0);
      const validator = validators.get(entry.schema as JsonSchema);
      for (const example of entry.examples) {
        expect(example.prompt.length).toBeGreaterThan(0);
        expect(validator.validate(example.output)).toEqual([]);
      }
    });

    it('would refuse an output that lacks its required properties, so the examples prove something', () => {
      const validator = validators.get(entry.schema as JsonSchema);
      expect(validator.validate({})).not.toEqual([]);
    });

    it.each(['openai', 'anthropic', 'gemini', 'local'] as const)(
      'compiles for %s without JSON mode',
      (target) => {
        expect(compileSchema(entry.schema as JsonSchema, target).mode).not.toBe('json-mode');
      },
    );
  });
});
