import { describe, expect, it } from 'vitest';
import { loadLanguageDetector, normalizeLanguageCode } from './language-detector.ts';
import { languageSample, neighbourSample } from './language-sample.ts';

const detector = await loadLanguageDetector();
const languageOf = (text: string) => detector.detect(text).language;

function shareRight(sample: Readonly<Record<string, readonly string[]>>, language?: string): number {
  const entries = Object.entries(sample)
    .filter(([label]) => language === undefined || label === language)
    .flatMap(([label, prompts]) => prompts.map((prompt) => ({ label, prompt })));
  return entries.filter(({ label, prompt }) => languageOf(prompt) === label).length / entries.length;
}

describe('LanguageDetector', () => {
  it('recognises real prompts in English, French, German, Spanish and Japanese', () => {
    expect(languageOf('Translate Hello World to French')).toBe('en');
    expect(languageOf('Réserve une chambre d’hôtel à Marseille pour le 12 mars')).toBe('fr');
    expect(languageOf('Fasse den folgenden Bericht in fünf Sätzen zusammen')).toBe('de');
    expect(languageOf('Reserva una mesa para dos en Madrid el sábado por la noche')).toBe('es');
    expect(languageOf('来週の金曜日に京都のホテルを予約してください')).toBe('ja');
  });

  it('is right on at least 97% of the multilingual prompt sample', () => {
    expect(Object.values(languageSample).flat().length).toBeGreaterThanOrEqual(160);
    expect(shareRight(languageSample)).toBeGreaterThanOrEqual(0.97);
  });

  it('still names the smaller of two near-identical standards on most of its prompts', () => {
    // The larger community is the prior when spelling does not tell (Danish over Norwegian is a
    // coin toss; Indonesian over Malay and Serbian over Croatian are not): see ADR 0043.
    for (const language of Object.keys(neighbourSample)) {
      expect(shareRight(neighbourSample, language), language).toBeGreaterThanOrEqual(0.6);
    }
  });

  it('detects the language of the instructions, not of the quoted material', () => {
    expect(languageOf('Traduce "Good morning, how are you today?" al español, por favor')).toBe('es');
    expect(languageOf('Übersetze bitte "Where is the train station?" ins Deutsche')).toBe('de');
    expect(languageOf('「ありがとうございます」を英語に翻訳してください')).toBe('ja');
    // Too little outside the quotes to tell: the whole text decides.
    expect(languageOf('"Où est la gare, s’il vous plaît ?" ok')).toBe('fr');
  });

  it('decides single-language scripts directly, even for short text, and Han without kana is Chinese', () => {
    expect(detector.detect('東京の天気')).toMatchObject({ language: 'ja', source: 'script' });
    expect(detector.detect('감사합니다')).toMatchObject({ language: 'ko', source: 'script' });
    expect(detector.detect('Καλημέρα')).toMatchObject({ language: 'el', source: 'script' });
    // fastText alone reads these as German and English.
    expect(detector.detect('推迟闹钟')).toMatchObject({ language: 'zh', source: 'script' });
    expect(languageOf('设置下周妈妈来探访的提醒')).toBe('zh');
  });

  it('answers und only for text that carries no language: no letters, a link, an address', () => {
    expect(detector.detect('')).toEqual({ language: 'und', confidence: 0, source: 'none' });
    expect(detector.detect('12345 + 678 = ?')).toMatchObject({ language: 'und', confidence: 0 });
    expect(languageOf('https://example.com/reports/2026/q3?lang=fr')).toBe('und');
    expect(languageOf('www.example.org  jane.doe@example.com')).toBe('und');
  });

  it('answers its best guess on short text, with a confidence that says how little it knows', () => {
    const short = detector.detect('hello world');
    expect(short).toMatchObject({ language: 'en', source: 'model', candidate: 'en' });
    expect(short.confidence).toBeLessThan(0.3);
    const long = detector.detect('Peux-tu m’expliquer la différence entre un virus et une bactérie ?');
    expect(long.language).toBe('fr');
    expect(long.confidence).toBeGreaterThan(detector.detect('Merci beaucoup').confidence);
    expect(long.confidence).toBeLessThanOrEqual(0.99);
  });

  it('rules out languages whose alphabet lacks the letters of the text', () => {
    // fastText's first choices: Portuguese (ü, ä), Polish (ž, ė), Kyrgyz (қ).
    expect(languageOf('Du em Mittwuch e Wecker dry fürem sächsi em Morge .')).toBe('de');
    expect(languageOf('Nustatyk žadintuvą penktai ryto')).toBe('lt');
    expect(languageOf('Оятқыштарды алып таста')).toBe('kk');
    // A name with a foreign letter does not move an English prompt.
    expect(languageOf('Play the new album by Motörhead on Spotify')).toBe('en');
  });

  it('tells near-identical standards apart by their spelling', () => {
    expect(languageOf('Hvad bliver vejret i morgen?')).toBe('da');
    expect(languageOf('Hva blir været i morgen?')).toBe('no');
    expect(languageOf('Bisakah kamu setel alarm untuk besok pagi?')).toBe('id');
    expect(languageOf('Bolehkah awak tetapkan penggera untuk esok pagi?')).toBe('ms');
    expect(languageOf('Kakvo će biti vreme sledeće nedelje?')).toBe('sr');
    expect(languageOf('Kakvo će biti vrijeme sljedeći tjedan?')).toBe('hr');
    expect(languageOf('Какво ће бити време следеће недеље?')).toBe('sr');
  });

  it('reports dialects and regional languages as their standard language', () => {
    // fastText's first choices: Alemannic (`als`) and Luxembourgish (`lb`), not candidates.
    expect(languageOf('Wi isch ds Wätter hüt z Bärn?')).toBe('de');
    expect(languageOf('Luxembourg ass e Land an Europa, mir schwätze Lëtzebuergesch')).toBe('de');
  });

  it('uses a forced code as is, with confidence 1', () => {
    expect(detector.detect('hello world', 'fr')).toEqual({ language: 'fr', confidence: 1, source: 'forced' });
    expect(detector.detect('Olá', 'pt-BR').language).toBe('pt');
  });

  it('ignores a forced value that is not a language code', () => {
    expect(detector.detect('Translate Hello World to French', 'not a code!').source).toBe('model');
  });
});

describe('normalizeLanguageCode', () => {
  it('lower-cases and drops regions and scripts', () => {
    expect(normalizeLanguageCode('EN')).toBe('en');
    expect(normalizeLanguageCode('zh-Hant-TW')).toBe('zh');
    expect(normalizeLanguageCode('english')).toBeUndefined();
  });
});
