import { describe, expect, it } from 'vitest';
import { PartialAnswer } from './partial-answer.ts';

describe('PartialAnswer', () => {
  it('reads the object so far, skipping prose and fences before it, closing what is unfinished', () => {
    const partial = new PartialAnswer();
    expect(partial.add('Sure! ```json\n')).toBeUndefined();
    expect(partial.add('{"name": "Ad')).toEqual({ name: 'Ad' });
    expect(partial.add('a", "tags": ["x", 1')).toEqual({ name: 'Ada', tags: ['x', 1] });
  });

  it('reports nothing when a delta does not change the object', () => {
    const partial = new PartialAnswer();
    expect(partial.add('{"a": 1')).toEqual({ a: 1 });
    expect(partial.add(', ')).toBeUndefined();
    expect(partial.add('"b": 2')).toEqual({ a: 1, b: 2 });
  });

  it('starts over after a reset, and waits for the first bracket', () => {
    const partial = new PartialAnswer();
    partial.add('{"a": 1}');
    partial.reset();
    expect(partial.text).toBe('');
    expect(partial.add('{"a": 1}')).toEqual({ a: 1 });
    expect(new PartialAnswer().add('Here is the answer:')).toBeUndefined();
  });
});
