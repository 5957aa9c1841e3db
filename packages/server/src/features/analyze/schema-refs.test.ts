import { describe, expect, it } from 'vitest';
import { findRecursiveRefs } from './schema-refs.ts';

describe('findRecursiveRefs', () => {
  it('finds nothing in schemas without refs or with well-founded recursion', () => {
    expect(findRecursiveRefs({ type: 'string' })).toEqual([]);
    expect(findRecursiveRefs(true)).toEqual([]);
    const list = { $defs: { list: { type: 'object', properties: { next: { $ref: '#/$defs/list' } } } } };
    expect(findRecursiveRefs(list)).toEqual([]);
  });

  it('reports an a → b → a cycle once, with the chain in the message', () => {
    const problems = findRecursiveRefs({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/#\/\$defs\/[ab] → #\/\$defs\/[ab] → #\/\$defs\/[ab]/);
  });

  it('treats allOf/anyOf/not/if as the same instance, and $defs as not applied', () => {
    expect(findRecursiveRefs({ $defs: { a: { not: { $ref: '#/$defs/a' } } } })).toHaveLength(1);
    expect(
      findRecursiveRefs({ $defs: { a: { if: { $ref: '#' } } }, allOf: [{ $ref: '#/$defs/a' }] }),
    ).toHaveLength(1);
    // Only reachable through `items`: fine.
    expect(findRecursiveRefs({ items: { $ref: '#' } })).toEqual([]);
  });

  it('resolves anchors (2020-12 $anchor, draft-07 $id "#name") and percent-encoded pointers', () => {
    expect(findRecursiveRefs({ $defs: { a: { $anchor: 'A', allOf: [{ $ref: '#A' }] } } })).toHaveLength(1);
    expect(findRecursiveRefs({ definitions: { a: { $id: '#A', anyOf: [{ $ref: '#A' }] } } })).toHaveLength(1);
    expect(findRecursiveRefs({ $defs: { 'a b': { type: 'string' } }, $ref: '#/$defs/a%20b' })).toEqual([]);
  });

  it('resolves refs inside an embedded resource against that resource', () => {
    const schema = {
      properties: {
        inner: { $id: 'https://example.com/inner', $defs: { x: { type: 'string' } }, $ref: '#/$defs/x' },
      },
    };
    expect(findRecursiveRefs(schema)).toEqual([]);
  });

  it('follows refs into unknown keywords, where Ajv would follow them too', () => {
    const problems = findRecursiveRefs({ 'x-parts': { p: { $ref: '#/x-parts/p' } }, $ref: '#/x-parts/p' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.at).toBe('/x-parts/p/$ref');
  });

  it('reports unresolvable refs and anchors', () => {
    expect(findRecursiveRefs({ $ref: '#/nope' })).toEqual([
      { at: '/$ref', keyword: '$ref', message: 'reference "#/nope" cannot be resolved in this schema' },
    ]);
    expect(findRecursiveRefs({ $ref: '#missing' })[0]?.at).toBe('/$ref');
    expect(findRecursiveRefs({ $ref: '#/%E0%A4%A' })[0]?.at).toBe('/$ref');
  });
});
