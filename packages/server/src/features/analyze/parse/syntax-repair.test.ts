import { describe, expect, it } from 'vitest';
import { repairSyntax } from './syntax-repair.ts';

describe('repairSyntax', () => {
  it.each([
    ["{'a': True, 'b': None}", { a: true, b: null }, ['replaced single quotes', 'converted Python literals']],
    ['{"a": (1, (2, 3)), "b": ()}', { a: [1, [2, 3]], b: [] }, ['converted tuples to arrays']],
    ['{"a": 82_461_110}', { a: 82461110 }, ['removed digit separators from numbers']],
    ['{"a": 1/4, "b": -3/2}', { a: 0.25, b: -1.5 }, ['evaluated fractions']],
    [
      '{"a": 0x1F, "b": +5}',
      { a: 31, b: 5 },
      ['converted hexadecimal numbers', 'removed leading plus signs'],
    ],
    ['{"a": 1, # note\n "b": 2}', { a: 1, b: 2 }, ['removed comments']],
    ['{"a": 1, by the way "b": 2}', { a: 1, b: 2 }, ['removed stray text between values']],
    ['{"a": 36 (about), "b": 2}', { a: 36, b: 2 }, ['removed stray text between values']],
    ['{"a": 36 kg}', { a: 36 }, ['removed stray text between values']],
    [
      '{"a": 1,000,000, "b": [1,500]}',
      { a: 1000000, b: [1, 500] },
      ['removed thousands separators from numbers'],
    ],
    ['{"a": 1,, "b": 2}', { a: 1, b: 2 }, ['removed doubled commas']],
    ['{"a": [1, 2,],}', { a: [1, 2] }, ['removed trailing commas']],
    ['{"a": "x" "b": "y"}', { a: 'x', b: 'y' }, ['inserted missing commas']],
    ['{"a": 1}}', { a: 1 }, ['removed extra closing brackets']],
    ['{"a": [1, "tw', { a: [1, 'tw'] }, ['completed truncated output']],
    ["{'a': 'it's', 'b': \"say 'hi'\"}", { a: "it's", b: "say 'hi'" }, ['replaced single quotes']],
  ])('%s', (text, value, defects) => {
    const repaired = repairSyntax(text);
    expect(repaired?.value).toEqual(value);
    for (const defect of defects) expect(repaired?.defects).toContain(defect);
  });

  it('leaves strings alone: no rewrite reaches inside quotes', () => {
    expect(repairSyntax('{"a": "True (1, 2) 1_000 1/3 # x", "b": 1,}')?.value).toEqual({
      a: 'True (1, 2) 1_000 1/3 # x',
      b: 1,
    });
  });

  it('gives up on text past repair', () => {
    expect(repairSyntax('{"a": }}}{{{:::')).toBeUndefined();
  });
});
