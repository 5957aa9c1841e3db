import { describe, expect, it } from 'vitest';
import { classifyIntent, isQuestion, matchIntent } from './classify-intent.ts';

describe('classifyIntent', () => {
  it.each([
    ['Translate Hello World to French', 'en', 'translate'],
    ['Summarize this article about climate change in three bullet points', 'en', 'summarize'],
    ['Book a table for four at an Italian restaurant tomorrow at 7pm', 'en', 'book'],
    ['Buy two tickets for the Coldplay concert', 'en', 'buy'],
    ['Write a Python function that reverses a linked list', 'en', 'create'],
    ['Schedule a meeting with Sarah next Tuesday afternoon', 'en', 'schedule'],
    ['Compare the iPhone 15 and the Pixel 8 as a table', 'en', 'compare'],
    ['Explain how vaccines train the immune system', 'en', 'explain'],
    ['Convert 30 degrees Celsius to Fahrenheit', 'en', 'convert'],
    ['Calculate the monthly payment on a 200,000 loan', 'en', 'calculate'],
    ['Classify these reviews by sentiment', 'en', 'classify'],
    ['Extract all email addresses from the text below', 'en', 'extract'],
    ['Search for cheap flights to Lisbon in June', 'en', 'search'],
    ['What is the capital of Australia?', 'en', 'question'],
    ['Traduis ce paragraphe en anglais, s’il te plaît', 'fr', 'translate'],
    ['Réserve une chambre d’hôtel à Marseille pour le 12 mars', 'fr', 'book'],
    ['Fasse den folgenden Bericht in fünf Sätzen zusammen', 'de', 'summarize'],
    ['Vergleiche die Preise von Strom und Gas in Deutschland', 'de', 'compare'],
    ['¿Cuál es el río más largo de Sudamérica?', 'es', 'question'],
    ['Explícame cómo funciona la fotosíntesis', 'es', 'explain'],
    ['この文章を英語に翻訳してください', 'ja', 'translate'],
    ['明日の午後三時に会議を設定してください', 'ja', 'schedule'],
  ])('%s → %s', (prompt, language, intent) => {
    expect(classifyIntent(prompt, language)).toBe(intent);
  });

  it('prefers a verb over the question form when the verb comes first', () => {
    expect(classifyIntent('Can you translate this into German?', 'en')).toBe('translate');
    expect(classifyIntent('What is the best time to book a flight to Tokyo?', 'en')).toBe('question');
  });

  it('keeps question-proof phrases inside questions', () => {
    expect(classifyIntent('How does a heat pump work?', 'en')).toBe('explain');
    expect(classifyIntent("What's the difference between a virus and a bacterium?", 'en')).toBe('compare');
  });

  it('treats arithmetic as calculate and two currencies as convert', () => {
    expect(classifyIntent('What is 15% of 80?', 'en')).toBe('calculate');
    expect(classifyIntent('How much is 250 USD in euros?', 'en')).toBe('convert');
    expect(classifyIntent('100ドルは何円ですか？', 'ja')).toBe('convert');
  });

  it('does not take dates, ranges or phone numbers for arithmetic', () => {
    expect(classifyIntent('Schedule the review on 2026-03-12 at 14:30', 'en')).toBe('schedule');
    expect(classifyIntent('Call 555-0143 about invoice 12/03', 'en')).toBe('other');
    expect(classifyIntent('What is 120 / 4?', 'en')).toBe('calculate');
  });

  it('treats moving a meeting as scheduling, with or without a known verb', () => {
    expect(classifyIntent('Verschiebe das Meeting auf den 3. März', 'de')).toBe('schedule');
    expect(classifyIntent('Déplace la réunion au 12 mars', 'fr')).toBe('schedule');
    expect(classifyIntent('会議を3月3日に変更してください', 'ja')).toBe('schedule');
  });

  it('does not read nouns as commands', () => {
    expect(classifyIntent('Where is my order?', 'en')).toBe('question');
    expect(classifyIntent('My favourite book is Dune', 'en')).toBe('other');
  });

  it('turns "book a meeting" into schedule, but not an e-mail that mentions an appointment', () => {
    expect(classifyIntent('Boka ett möte med Erik nästa onsdag', 'sv')).toBe('schedule');
    expect(classifyIntent('Envoie un courriel à Marie pour confirmer le rendez-vous', 'fr')).toBe('create');
  });

  it('does not fire keywords of other languages ("such" is German for search)', () => {
    expect(classifyIntent('Such a lovely day', 'en')).toBe('other');
  });

  it('returns other for empty text and reports where the deciding verb ends', () => {
    expect(classifyIntent('   ', 'en')).toBe('other');
    expect(matchIntent('Translate Hello World to French', 'en')).toEqual({ intent: 'translate', verbEnd: 9 });
    expect(matchIntent('Fasse den Bericht zusammen', 'de')).toEqual({ intent: 'summarize', verbEnd: 5 });
  });
});

describe('isQuestion', () => {
  it('recognises question marks, ¿ and question openers', () => {
    expect(isQuestion('Is it raining')).toBe(true);
    expect(isQuestion('東京の天気は？')).toBe(true);
    expect(isQuestion('¿Dónde está')).toBe(true);
    expect(isQuestion('Wie spät ist es')).toBe(true);
    expect(isQuestion('Translate this')).toBe(false);
  });
});
