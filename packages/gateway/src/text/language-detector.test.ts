import { describe, expect, it } from 'vitest';
import { detectLanguage, normalizeLanguageCode } from './language-detector.ts';
import { languageSample } from './language-sample.ts';

describe('detectLanguage', () => {
  it('recognises real prompts in English, French, German, Spanish and Japanese', () => {
    expect(detectLanguage('Translate Hello World to French').language).toBe('en');
    expect(detectLanguage('Réserve une chambre d’hôtel à Marseille pour le 12 mars').language).toBe('fr');
    expect(detectLanguage('Fasse den folgenden Bericht in fünf Sätzen zusammen').language).toBe('de');
    expect(detectLanguage('Reserva una mesa para dos en Madrid el sábado por la noche').language).toBe('es');
    expect(detectLanguage('来週の金曜日に京都のホテルを予約してください').language).toBe('ja');
  });

  it('is right on at least 92% of the multilingual sample and confidently wrong on at most 3%', () => {
    const entries = Object.entries(languageSample).flatMap(([language, prompts]) =>
      prompts.map((prompt) => ({ language, prompt })),
    );
    const answers = entries.map(({ language, prompt }) => ({
      language,
      detected: detectLanguage(prompt).language,
    }));
    const correct = answers.filter((answer) => answer.detected === answer.language);
    // `und` is an honest abstention; a wrong code is what misleads callers.
    const wrong = answers.filter(
      (answer) => answer.detected !== answer.language && answer.detected !== 'und',
    );
    expect(entries.length).toBeGreaterThanOrEqual(150);
    expect(correct.length / entries.length).toBeGreaterThanOrEqual(0.92);
    expect(wrong.length / entries.length).toBeLessThanOrEqual(0.03);
  });

  it('detects the language of the instructions, not of the quoted material', () => {
    expect(detectLanguage('Traduce "Good morning, how are you today?" al español, por favor').language).toBe(
      'es',
    );
    expect(detectLanguage('Übersetze bitte "Where is the train station?" ins Deutsche').language).toBe('de');
    expect(detectLanguage('「ありがとうございます」を英語に翻訳してください').language).toBe('ja');
    // Too little outside the quotes to tell: the whole text decides.
    expect(detectLanguage('"Où est la gare, s’il vous plaît ?" ok').language).toBe('fr');
  });

  it('decides single-language scripts directly, even for short text', () => {
    expect(detectLanguage('東京の天気')).toMatchObject({ language: 'ja', source: 'script' });
    expect(detectLanguage('감사합니다')).toMatchObject({ language: 'ko', source: 'script' });
    expect(detectLanguage('Καλημέρα')).toMatchObject({ language: 'el', source: 'script' });
  });

  it('answers und for text without letters', () => {
    expect(detectLanguage('')).toEqual({ language: 'und', confidence: 0, source: 'none' });
    expect(detectLanguage('12345 + 678 = ?')).toMatchObject({ language: 'und', confidence: 0 });
  });

  it('answers und with low confidence, but keeps the guess, when short text is ambiguous', () => {
    const result = detectLanguage('hello world');
    expect(result.language).toBe('und');
    expect(result.confidence).toBeLessThan(0.3);
    expect(result.candidate).toBeTypeOf('string');
  });

  it('is more confident on a full sentence than on two words', () => {
    const long = detectLanguage('Peux-tu m’expliquer la différence entre un virus et une bactérie ?');
    const short = detectLanguage('Merci beaucoup');
    expect(long.language).toBe('fr');
    expect(long.confidence).toBeGreaterThan(short.confidence);
    expect(long.confidence).toBeLessThanOrEqual(0.99);
  });

  it('uses a forced code as is, with confidence 1', () => {
    expect(detectLanguage('hello world', 'fr')).toEqual({ language: 'fr', confidence: 1, source: 'forced' });
    expect(detectLanguage('Olá', 'pt-BR').language).toBe('pt');
  });

  it('ignores a forced value that is not a language code', () => {
    expect(detectLanguage('Translate Hello World to French', 'not a code!').source).toBe('model');
  });
});

describe('normalizeLanguageCode', () => {
  it('lower-cases and drops regions and scripts', () => {
    expect(normalizeLanguageCode('EN')).toBe('en');
    expect(normalizeLanguageCode('zh-Hant-TW')).toBe('zh');
    expect(normalizeLanguageCode('english')).toBeUndefined();
  });
});
