import { describe, expect, it } from 'vitest';
import { loadLanguageDetector } from '../../text/language-detector.ts';
import { analyzePrompt } from './analyze-prompt.ts';

const now = new Date('2026-01-01T12:00:00Z');
const languageDetector = await loadLanguageDetector();
const subjectOf = (prompt: string) => analyzePrompt(prompt, { now, languageDetector }).analysis.subject;

describe('findSubject (through analyzePrompt)', () => {
  it.each([
    ['Translate Hello World to French', 'Hello World'],
    ['Summarize this article about climate change in three bullet points', 'article about climate change'],
    ['What is the capital of Australia?', 'capital of Australia'],
    [
      'Book a table for four at an Italian restaurant tomorrow at 7pm',
      'table for four at an Italian restaurant',
    ],
    ['Schedule a meeting with Sarah next Tuesday afternoon', 'meeting with Sarah'],
    ['How does a heat pump work?', 'heat pump'],
    ['Traduis ce paragraphe en anglais, s’il te plaît', 'paragraphe'],
    ['Réserve une chambre d’hôtel à Marseille pour le 12 mars', 'chambre d’hôtel à Marseille'],
    ['Übersetze diesen Text bitte ins Englische', 'Text'],
    ['Fasse den folgenden Bericht in fünf Sätzen zusammen', 'Bericht'],
    ['Reserva una mesa para dos en Madrid el sábado por la noche', 'mesa para dos en Madrid'],
    ['¿Cuál es el río más largo de Sudamérica?', 'río más largo de Sudamérica'],
    ['この文章を英語に翻訳してください', '文章'],
    ['100ドルは何円ですか？', '100ドル'],
    ['Refund €1,234.56 to the customer', 'Refund €1,234.56 to the customer'],
    ['Compare Python and Rust for a CLI tool, answer in JSON', 'Python and Rust for a CLI tool'],
    ["Translate 'don't stop me now' to German", "don't stop me now"],
  ])('%s → %s', (prompt, subject) => {
    expect(subjectOf(prompt)).toBe(subject);
  });

  it('prefers quoted text over everything else', () => {
    expect(subjectOf('Summarize "The Old Man and the Sea" in 3 bullet points')).toBe(
      'The Old Man and the Sea',
    );
    expect(subjectOf('Translate «Bonjour tout le monde» into English')).toBe('Bonjour tout le monde');
    expect(subjectOf('「吾輩は猫である」を要約してください')).toBe('吾輩は猫である');
  });

  it('keeps the subject short', () => {
    const subject = subjectOf(`Write ${'a very long and winding description '.repeat(20)}`);
    expect(subject.split(' ').length).toBeLessThanOrEqual(10);
  });

  it('is empty only for an empty prompt', () => {
    expect(subjectOf('')).toBe('');
    expect(subjectOf('Hello')).toBe('Hello');
  });
});
