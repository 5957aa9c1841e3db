import { describe, expect, it } from 'vitest';
import { findAmounts, parseAmount } from './amount-entities.ts';
import { extractEntitySpans } from './extract-entities.ts';

const now = new Date('2026-01-01T12:00:00Z');
const entities = (text: string, language = 'en', translating = false) =>
  extractEntitySpans(text, { language, now, translating }).map(({ type, value }) => `${type}:${value}`);

describe('parseAmount', () => {
  it('reads grouping and decimals the way the writer meant them', () => {
    expect(parseAmount('1,200')).toBe(1200);
    expect(parseAmount('1.200')).toBe(1200);
    expect(parseAmount('1 200')).toBe(1200);
    expect(parseAmount('1.200,50')).toBe(1200.5);
    expect(parseAmount('1,200.50')).toBe(1200.5);
    expect(parseAmount('19.99')).toBe(19.99);
    expect(parseAmount('2,5')).toBe(2.5);
  });
});

describe('findAmounts', () => {
  it('normalizes money to "<amount> <ISO currency>" and percentages to "<n>%"', () => {
    const values = (text: string, language = 'en') => findAmounts(text, language).map((span) => span.value);
    expect(values('Budget $2.5 million, fee €40, rent 1 200 CHF')).toEqual([
      '2500000 USD',
      '40 EUR',
      '1200 CHF',
    ]);
    expect(values('un prêt de 10.000 euros à 3,5 %', 'fr')).toEqual(['10000 EUR', '3.5%']);
    expect(values('费用是¥300', 'zh')).toEqual(['300 CNY']);
    expect(values('費用は¥300です', 'ja')).toEqual(['300 JPY']);
  });
});

describe('extractEntitySpans', () => {
  it('finds dates and times relative to the injected clock', () => {
    expect(entities('Schedule a call next Tuesday at 3pm')).toEqual(['date:2026-01-06', 'time:15:00']);
    expect(entities('Remind me at 9:30')).toEqual(['time:09:30']);
    expect(entities('Buche einen Flug am 3. März', 'de')).toContain('date:2026-03-03');
  });

  it('reports both ends of a date range and ignores "now"', () => {
    expect(entities('Find a hotel from June 5 to June 8')).toEqual(['date:2026-06-05', 'date:2026-06-08']);
    expect(entities("Don't stop me now")).toEqual([]);
  });

  it('finds e-mails, URLs and phone numbers without also reporting their digits as numbers', () => {
    expect(entities('Mail bob@example.com, see https://example.com/p/42. Call +1 202 555 0143')).toEqual([
      'email:bob@example.com',
      'url:https://example.com/p/42',
      'phone:+1 202 555 0143',
    ]);
  });

  it('reports quoted text in every common quoting style', () => {
    expect(entities('Translate "Good morning" and «Bonne nuit» and 「こんにちは」', 'en', true)).toEqual([
      'quote:Good morning',
      'quote:Bonne nuit',
      'quote:こんにちは',
    ]);
  });

  it('does not read a date into quoted text ("Guten Morgen" is not tomorrow)', () => {
    expect(entities('Übersetze „Guten Morgen“ ins Englische', 'de', true)).toEqual([
      'quote:Guten Morgen',
      'language:Englische',
    ]);
  });

  it('reports language names as languages only where they name a language', () => {
    expect(entities('Translate Hello World to French', 'en', true)).toEqual(['language:French']);
    expect(entities('Find an Italian restaurant near me')).not.toContain('language:Italian');
    expect(entities('Answer in Spanish please')).toEqual(['language:Spanish']);
  });

  it('finds people, places and organizations in Latin-script prompts', () => {
    const found = entities('Ask Barack Obama at Google about the office in New York');
    expect(found).toEqual(
      expect.arrayContaining(['person:Barack Obama', 'organization:Google', 'place:New York']),
    );
  });

  it('reports leftover numbers once, and not the digits of money or dates', () => {
    expect(entities('Order 3 pizzas for $45 on 2026-02-14')).toEqual([
      'number:3',
      'money:45 USD',
      'date:2026-02-14',
    ]);
  });
});
