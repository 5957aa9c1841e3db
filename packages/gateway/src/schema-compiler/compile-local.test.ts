import { describe, expect, it } from 'vitest';
import { compileForLocal, defaultGrammarCaps } from './compile-local.ts';
import type { SchemaNode } from './schema-walk.ts';

describe('local grammar: minimums from the schema are capped', () => {
  it('cuts minItems and minLength to the ceilings, with a warning, so the grammar stays small', () => {
    const compiled = compileForLocal({
      type: 'object',
      properties: {
        names: { type: 'array', items: { type: 'string', minLength: 3e8 }, minItems: 1_000_000_000 },
      },
      required: ['names'],
    });
    const names = (compiled.schema!.properties as Record<string, SchemaNode>).names as SchemaNode;
    expect(names.minItems).toBe(defaultGrammarCaps.ceilingArrayItems);
    expect(names.maxItems).toBe(defaultGrammarCaps.ceilingArrayItems);
    const item = names.items as SchemaNode;
    expect(item.minLength).toBe(defaultGrammarCaps.ceilingStringLength);
    expect(item.maxLength).toBe(defaultGrammarCaps.ceilingStringLength);
    expect(compiled.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/properties/names: minItems 1000000000 cut to'),
        expect.stringContaining('/properties/names/items: minLength 300000000 cut to'),
      ]),
    );
  });

  it('keeps minimums under the ceilings as they are', () => {
    const compiled = compileForLocal({
      type: 'array',
      minItems: 12,
      items: { type: 'string', minLength: 300 },
    });
    expect(compiled.schema).toMatchObject({
      minItems: 12,
      maxItems: 12,
      items: { minLength: 300, maxLength: 300 },
    });
    expect(compiled.warnings.some((warning) => warning.includes('cut to'))).toBe(false);
  });
});
