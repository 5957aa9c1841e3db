import { describe, expect, it } from 'vitest';
import { mergeConfusableLanguages } from './confusable-languages.ts';

describe('mergeConfusableLanguages', () => {
  it("lets a group compete with its members' whole probability and names the member the text points to", () => {
    const scores = new Map([
      ['da', 0.2],
      ['en', 0.35],
      ['no', 0.3],
      ['nn', 0.1],
    ]);
    const languageOf = mergeConfusableLanguages(
      scores,
      'Hva heter du? Jeg liker musikk, men været er dårlig.',
    );
    expect([...scores.keys()]).toEqual(['en', 'da']);
    expect(scores.get('da')).toBeCloseTo(0.6);
    expect(languageOf('da')).toBe('no');
    expect(languageOf('en')).toBe('en');
  });

  it('chooses by the number of writers when the text has no marker of any member', () => {
    const scores = new Map([
      ['ms', 0.5],
      ['id', 0.4],
    ]);
    const languageOf = mergeConfusableLanguages(scores, 'Saya suka makan nasi.');
    expect(scores.get('id')).toBeCloseTo(0.9);
    expect(languageOf('id')).toBe('id');
  });
});
