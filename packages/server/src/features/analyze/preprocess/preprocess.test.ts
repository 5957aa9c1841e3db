import { loadLanguageDetector } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { preprocessPrompt } from './preprocess.ts';

const detector = await loadLanguageDetector();

describe('preprocessPrompt', () => {
  it('normalizes and detects the language, PII off by default', () => {
    const result = preprocessPrompt(
      detector,
      '  Envoie un courriel à marie.dupont@exemple.fr  pour confirmer  ',
    );
    expect(result.text).toBe('Envoie un courriel à marie.dupont@exemple.fr pour confirmer');
    expect(result.language).toBe('fr');
    expect(result.languageConfidence).toBeGreaterThan(0.5);
    expect(result.pii).toEqual({ findings: [], redacted: false });
  });

  it('detect mode reports findings but sends the text unchanged', () => {
    const result = preprocessPrompt(detector, 'Email jane@example.com the report', { pii: 'detect' });
    expect(result.text).toBe('Email jane@example.com the report');
    expect(result.pii.findings).toEqual([{ type: 'email', start: 6, end: 22, placeholder: '[EMAIL_1]' }]);
    expect(result.pii.redacted).toBe(false);
    expect(result.warnings).toEqual(['prompt contains personal data (email)']);
  });

  it('redact mode replaces values with placeholders, offsets refer to the normalized prompt', () => {
    const prompt = 'Refund   4111 1111 1111 1111 and write to jane@example.com';
    const result = preprocessPrompt(detector, prompt, { pii: 'redact' });
    expect(result.text).toBe('Refund [CARD_1] and write to [EMAIL_1]');
    expect(result.pii.redacted).toBe(true);
    const normalized = 'Refund 4111 1111 1111 1111 and write to jane@example.com';
    const card = result.pii.findings[0]!;
    expect(normalized.slice(card.start, card.end)).toBe('4111 1111 1111 1111');
  });

  it('detects the language on the original text, not on placeholders', () => {
    const result = preprocessPrompt(detector, 'Schreib an max.mustermann@beispiel.de wegen der Rechnung', {
      pii: 'redact',
    });
    expect(result.language).toBe('de');
    expect(result.text).toContain('[EMAIL_1]');
  });

  it('honours a forced language and warns about a bad one', () => {
    expect(preprocessPrompt(detector, 'ok', { language: 'es' })).toMatchObject({
      language: 'es',
      languageConfidence: 1,
    });
    const bad = preprocessPrompt(detector, 'Translate Hello World to French', { language: '???' });
    expect(bad.language).toBe('en');
    expect(bad.warnings[0]).toContain('not a language code');
  });

  it('handles an empty prompt without throwing', () => {
    expect(preprocessPrompt(detector, '   ')).toMatchObject({
      text: '',
      language: 'und',
      languageConfidence: 0,
    });
  });
});
