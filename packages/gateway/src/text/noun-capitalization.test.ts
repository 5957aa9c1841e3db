import { describe, expect, it } from 'vitest';
import { applyNounCapitalization } from './noun-capitalization.ts';

function germanAfter(text: string): number {
  const scores = new Map([
    ['de', 0.1],
    ['en', 0.6],
  ]);
  applyNounCapitalization(scores, text);
  return scores.get('de')!;
}

describe('noun capitalization evidence', () => {
  it('raises German for standalone capitalized nouns inside a sentence', () => {
    expect(germanAfter('Du e Wecker dry für morn em Morgen em sibni .')).toBeGreaterThan(0.6);
    expect(germanAfter('Bruchi morn e Schirm ?')).toBeGreaterThan(0.6);
  });

  it('ignores runs of capitalized words, which are names and titles', () => {
    expect(germanAfter('Show me Happiness Was Free .')).toBe(0.1);
    expect(germanAfter('weather in Tioga Colorado')).toBe(0.1);
  });

  it('ignores sentence-initial capitals and text with letters German does not write', () => {
    expect(germanAfter('Set an alarm. Call me later. Play some music.')).toBe(0.1);
    expect(germanAfter('Convertis 30 degrés Celsius en Fahrenheit')).toBe(0.1);
  });

  it('needs standalone capitals to be a fifth of the words inside sentences', () => {
    expect(germanAfter('please play the best song by Juanes on my phone right now')).toBe(0.1);
  });

  it('does not lift German where the model finds it implausible', () => {
    const scores = new Map([
      ['de', 0.01],
      ['en', 0.8],
    ]);
    applyNounCapitalization(scores, 'Du e Wecker für morn');
    expect(scores.get('de')).toBe(0.01);
  });

  it('leaves scores alone when German is not a candidate', () => {
    const scores = new Map([['en', 0.6]]);
    applyNounCapitalization(scores, 'Du e Wecker für morn');
    expect([...scores]).toEqual([['en', 0.6]]);
  });
});
