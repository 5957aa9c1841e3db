import { describe, expect, it } from 'vitest';
import { detectOutputFormat } from './detect-output-format.ts';

describe('detectOutputFormat', () => {
  it.each([
    ['Extract the emails as JSON', 'extract', 'json'],
    ['Give me a JSON list of the cities', 'question', 'json'],
    ['Compare the iPhone 15 and the Pixel 8 as a table', 'compare', 'table'],
    ['Erstelle eine Tabelle mit den Umsätzen', 'create', 'table'],
    ['Write a Python function that returns a list of primes', 'create', 'code'],
    ['Summarize this article in three bullet points', 'summarize', 'list'],
    ['Fais une liste des meilleurs fromages', 'create', 'list'],
    ['Calculate 12 * 7', 'calculate', 'number'],
    ['How many people live in Tokyo?', 'question', 'number'],
    ['Is Paris bigger than London?', 'question', 'boolean'],
    ['Translate Hello World to French', 'translate', 'text'],
  ] as const)('%s → %s', (prompt, intent, format) => {
    expect(detectOutputFormat(prompt, intent)).toBe(format);
  });

  it('does not take furniture for a format or an explanation of code for code', () => {
    expect(detectOutputFormat('Book a table for four tonight', 'book')).toBe('text');
    expect(detectOutputFormat('Explain what this code does', 'explain')).toBe('text');
  });
});
