import type { TemplateParameter } from '@structured-prompt/contracts';
import { describe, expect, it } from 'vitest';
import { changeLevel, nextVersion, type VersionContent } from './template-versioning.ts';

const base: VersionContent = {
  template: 'Summarize {{ text }} in {{ language }}',
  parameters: [
    { name: 'text', type: 'string', required: true, description: 'The input' },
    { name: 'language', type: 'string', default: 'English' },
  ],
  schema: { id: 'summary', version: '1.0.0' },
  defaults: { temperature: 0 },
};
const withParameters = (parameters: TemplateParameter[]) => ({ ...base, parameters });

describe('changeLevel', () => {
  it.each<[string, VersionContent, string]>([
    ['nothing changed', structuredClone(base), 'none'],
    ['a parameter removed', withParameters([base.parameters[0]!]), 'major'],
    [
      'a parameter made required',
      withParameters([base.parameters[0]!, { name: 'language', required: true }]),
      'major',
    ],
    [
      'a parameter retyped',
      withParameters([base.parameters[0]!, { name: 'language', type: 'array' }]),
      'major',
    ],
    [
      'a required parameter added',
      withParameters([...base.parameters, { name: 'tone', required: true }]),
      'major',
    ],
    ['another schema linked', { ...base, schema: { id: 'other' } }, 'major'],
    ['the schema unlinked', { ...base, schema: null }, 'major'],
    ['an optional parameter added', withParameters([...base.parameters, { name: 'tone' }]), 'minor'],
    ['the text changed', { ...base, template: 'Briefly summarize {{ text }} in {{ language }}' }, 'minor'],
    ['the defaults changed', { ...base, defaults: { temperature: 0.5 } }, 'minor'],
    ['the linked schema version changed', { ...base, schema: { id: 'summary', version: '1.1.0' } }, 'minor'],
    [
      'a parameter made optional',
      withParameters([{ name: 'text', type: 'string' }, base.parameters[1]!]),
      'minor',
    ],
    [
      'only a description changed',
      withParameters([{ ...base.parameters[0]!, description: 'What to summarize' }, base.parameters[1]!]),
      'patch',
    ],
  ])('%s: %s', (_title, after, level) => {
    expect(changeLevel(base, after)).toBe(level);
  });
});

describe('nextVersion', () => {
  it('proposes the next version of the level, or takes a newer one the caller chose', () => {
    expect(nextVersion('1.4.2', 'major')).toBe('2.0.0');
    expect(nextVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(nextVersion('1.4.2', 'patch')).toBe('1.4.3');
    expect(nextVersion('1.4.2', 'patch', '3.0.0')).toBe('3.0.0');
    expect(() => nextVersion('1.4.2', 'minor', '1.4.2')).toThrow(/not newer/);
    expect(() => nextVersion('1.4.2', 'minor', '1.3.9')).toThrow(/not newer/);
  });
});
