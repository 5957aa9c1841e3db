import { describe, expect, it } from 'vitest';
import { findRefProblems } from './schema-refs.ts';

describe('findRefProblems', () => {
  it('finds nothing in schemas without refs or with well-founded recursion', () => {
    expect(findRefProblems({ type: 'string' })).toEqual([]);
    expect(findRefProblems(true)).toEqual([]);
    const list = { $defs: { list: { type: 'object', properties: { next: { $ref: '#/$defs/list' } } } } };
    expect(findRefProblems(list)).toEqual([]);
  });

  it('reports an a → b → a cycle once, with the chain in the message', () => {
    const problems = findRefProblems({ $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/#\/\$defs\/[ab] → #\/\$defs\/[ab] → #\/\$defs\/[ab]/);
  });

  it('treats allOf/anyOf/not/if as the same instance, and $defs as not applied', () => {
    expect(findRefProblems({ $defs: { a: { not: { $ref: '#/$defs/a' } } } })).toHaveLength(1);
    expect(
      findRefProblems({ $defs: { a: { if: { $ref: '#' } } }, allOf: [{ $ref: '#/$defs/a' }] }),
    ).toHaveLength(1);
    // Only reachable through `items`: fine.
    expect(findRefProblems({ items: { $ref: '#' } })).toEqual([]);
  });

  it('resolves anchors (2020-12 $anchor, draft-07 $id "#name") and percent-encoded pointers', () => {
    expect(findRefProblems({ $defs: { a: { $anchor: 'A', allOf: [{ $ref: '#A' }] } } })).toHaveLength(1);
    expect(findRefProblems({ definitions: { a: { $id: '#A', anyOf: [{ $ref: '#A' }] } } })).toHaveLength(1);
    expect(findRefProblems({ $defs: { 'a b': { type: 'string' } }, $ref: '#/$defs/a%20b' })).toEqual([]);
  });

  it('resolves refs inside an embedded resource against that resource', () => {
    const schema = {
      properties: {
        inner: { $id: 'https://example.com/inner', $defs: { x: { type: 'string' } }, $ref: '#/$defs/x' },
      },
    };
    expect(findRefProblems(schema)).toEqual([]);
  });

  it('follows refs into unknown keywords, where Ajv would follow them too', () => {
    const problems = findRefProblems({ 'x-parts': { p: { $ref: '#/x-parts/p' } }, $ref: '#/x-parts/p' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.at).toBe('/x-parts/p/$ref');
  });

  it('reports unresolvable refs and anchors', () => {
    expect(findRefProblems({ $ref: '#/nope' })).toEqual([
      { at: '/$ref', keyword: '$ref', message: 'reference "#/nope" cannot be resolved in this schema' },
    ]);
    expect(findRefProblems({ $ref: '#missing' })[0]?.at).toBe('/$ref');
    expect(findRefProblems({ $ref: '#/%E0%A4%A' })[0]?.at).toBe('/$ref');
  });

  it('resolves references to the $id of the schema or of an embedded resource, as a bundle uses them', () => {
    const bundle = {
      $id: 'https://example.com/order.json',
      type: 'object',
      properties: {
        item: { $ref: 'https://example.com/item.json' },
        note: { $ref: 'order.json#/$defs/text' },
        tag: { $ref: 'urn:example:tag' },
      },
      $defs: {
        item: {
          $id: 'item.json',
          type: 'object',
          properties: { name: { $ref: '#/$defs/name' } },
          $defs: { name: { type: 'string' } },
        },
        text: { type: 'string' },
        tag: { $id: 'urn:example:tag', type: 'string' },
      },
    };
    expect(findRefProblems(bundle)).toEqual([]);
    // Relative ids and refs work without a root $id too.
    expect(
      findRefProblems({ $ref: 'node.json', $defs: { node: { $id: 'node.json', type: 'string' } } }),
    ).toEqual([]);
  });

  it('reports a reference that leaves the schema document as remote', () => {
    expect(findRefProblems({ $id: 'https://example.com/a.json', $ref: 'b.json' })).toEqual([
      {
        at: '/$ref',
        keyword: '$ref',
        message: expect.stringContaining('remote reference "b.json" is not allowed'),
      },
    ]);
    expect(
      findRefProblems({ properties: { a: { $ref: 'https://json-schema.org/draft/2020-12/schema' } } })[0],
    ).toMatchObject({
      at: '/properties/a/$ref',
      message: expect.stringContaining('remote reference'),
    });
  });

  it('finds in-place cycles through embedded resources', () => {
    const schema = {
      $defs: { a: { $id: 'a.json', allOf: [{ $ref: 'b.json' }] }, b: { $id: 'b.json', $ref: 'a.json' } },
      $ref: 'a.json',
    };
    expect(findRefProblems(schema)[0]?.message).toContain('recursive schema');
  });

  it('draft-04: `id` names resources and anchors, and in drafts up to 7 an id next to $ref is ignored', () => {
    const draft04 = {
      definitions: { count: { id: '#count', type: 'integer' } },
      properties: { n: { $ref: '#count' } },
    };
    expect(findRefProblems(draft04, 'draft-04')).toEqual([]);
    expect(findRefProblems(draft04, '2020-12')[0]?.message).toContain('cannot be resolved');
    const sibling = {
      $id: 'https://example.com/root.json',
      definitions: { x: { type: 'string' } },
      properties: { a: { $id: 'https://other.example/', $ref: '#/definitions/x' } },
    };
    expect(findRefProblems(sibling, 'draft-07')).toEqual([]);
  });
});
