/**
 * Intent from verbs and sentence form, over the taxonomy of the default schema.
 *
 * Rules, in order:
 * 1. Arithmetic ("12 * 7", "15% of 80") → calculate.
 * 2. The earliest intent keyword wins (imperatives come first: "Translate … and summarize" is
 *    translate). In a question only keywords marked as question-proof count, unless the keyword
 *    sits in the first three words ("Can you translate …?" is translate).
 * 3. book/create with a meeting or appointment right after the verb → schedule ("Boka ett möte").
 * 4. Two currencies or two units with no stronger verb ("How much is 250 USD in euros?"), or
 *    with "translate" ("translate 100 dollars to euros"; Turkish "çevir" means both) → convert.
 * 5. No verb, but a meeting or appointment is mentioned ("Verschiebe das Meeting") → schedule.
 * 6. A question (ends with ?, opens with a question word) → question.
 * 7. Otherwise → other.
 */
import type { Intent } from '@structured-prompt/contracts';
import { intentKeywords, meetingWords, questionOpeners } from './intent-keywords.ts';

interface Keyword {
  intent: Intent;
  pattern: RegExp;
  commandOnly: boolean;
  inQuestion: boolean;
}

const cjkLanguages = new Set(['ja', 'zh', 'ko']);
const compiled = new Map<string, Keyword[]>();

function keywordsFor(language: string): Keyword[] {
  const cached = compiled.get(language);
  if (cached) return cached;
  const keywords: Keyword[] = [];
  for (const [intent, table] of Object.entries(intentKeywords) as Array<[Intent, Record<string, string[]>]>) {
    for (const [keywordLanguage, sources] of Object.entries(table)) {
      // Undetermined text is searched in every language: a short prompt still gets an intent.
      if (language !== 'und' && keywordLanguage !== language && keywordLanguage !== 'en') continue;
      for (const source of sources) {
        const commandOnly = source.startsWith('^');
        const inQuestion = source.startsWith('?');
        const body = commandOnly || inQuestion ? source.slice(1) : source;
        const edge = cjkLanguages.has(keywordLanguage) ? '' : '(?<![\\p{L}\\p{M}])';
        keywords.push({ intent, pattern: new RegExp(`${edge}(?:${body})`, 'iu'), commandOnly, inQuestion });
      }
    }
  }
  compiled.set(language, keywords);
  return keywords;
}

// What may stand before a verb in command position: a clause start or a polite/auxiliary lead-in.
const commandLeadIn =
  /(?:^|[.!?,;:\n]\s*|(?:please|pls|you|to|and|then|me|us|i'd like to|want to|need to|help me|s'il te plaît|bitte|por favor|per favore)\s+)$/iu;
// "-" and "/" count only with spaces around them: 2026-03-12, 12/03 and 555-0143 are not sums.
const arithmetic =
  /(?<![\d./:-])\d+(?:[.,]\d+)?\s*(?:[+*×÷^]|\s[-/]\s)\s*\d+(?:[.,]\d+)?(?![\d./:-])|\d\s*%\s*(?:of|de|von|di)\s+\d/iu;
const currencyOrUnit =
  /(?<!\p{L})(?:usd|eur|gbp|jpy|cny|inr|chf|dollars?|dólar(?:es)?|euros?|pounds?|yen|yuan|rupees?|reais|rubles?|lira|dolar\p{L}*|lira\p{L}*|celsius|fahrenheit|kelvin|km|kilomet\p{L}*|miles?|meilen|kg|kilo(?:gram)?s?|lbs?|inch(?:es)?|feet|foot|lit(?:er|re)s?|gallons?|ounces?|oz)(?!\p{L})|[$€£¥₹₩₽]|°[CF]|ドル|円|ユーロ|美元|人民币|欧元|달러|원화|डॉलर|रुपये|रुपए|доллар\p{L}*|евро|рубл\p{L}*/giu;

export function isQuestion(text: string): boolean {
  const trimmed = text.trim();
  return /[?？؟]\s*$/u.test(trimmed) || trimmed.startsWith('¿') || questionOpeners.test(trimmed);
}

function wordIndex(text: string, position: number): number {
  return text.slice(0, position).split(/\s+/u).filter(Boolean).length;
}

export interface IntentMatch {
  intent: Intent;
  /** Where the deciding verb ends, when a verb decided: the subject usually follows it. */
  verbEnd?: number;
}

export function classifyIntent(text: string, language: string): Intent {
  return matchIntent(text, language).intent;
}

export function matchIntent(text: string, language: string): IntentMatch {
  if (!text.trim()) return { intent: 'other' };
  if (arithmetic.test(text)) return { intent: 'calculate' };
  const question = isQuestion(text);
  let best: { intent: Intent; position: number; end: number } | undefined;
  for (const keyword of keywordsFor(language)) {
    const match = keyword.pattern.exec(text);
    if (!match) continue;
    if (keyword.commandOnly && !commandLeadIn.test(text.slice(Math.max(0, match.index - 30), match.index))) {
      continue;
    }
    if (question && !keyword.inQuestion && wordIndex(text, match.index) > 3) continue;
    if (!best || match.index < best.position) {
      // Split verbs ("fasse … zusammen", "vat … samen") end after their first word: the object
      // sits between the two parts.
      const verbLength = keyword.pattern.source.includes('.{')
        ? (/^\S+/u.exec(match[0])?.[0].length ?? 0)
        : match[0].length;
      best = { intent: keyword.intent, position: match.index, end: match.index + verbLength };
    }
  }
  // Only a meeting right after the verb counts: "book a meeting" is scheduling, "send an e-mail to
  // confirm the appointment" is still writing.
  if (best && (best.intent === 'book' || best.intent === 'create')) {
    if (meetingWords.test(text.slice(best.position, best.position + 30))) {
      return { intent: 'schedule', verbEnd: best.end };
    }
  }
  const currencies = new Set((text.match(currencyOrUnit) ?? []).map((word) => word.toLowerCase()));
  // "Translate 100 dollars to euros" (and Turkish "çevir", which means both) is a conversion.
  if (currencies.size >= 2 && (!best || best.intent === 'translate'))
    return { intent: 'convert', verbEnd: best?.end };
  if (best) return { intent: best.intent, verbEnd: best.end };
  // No known verb, but a meeting being moved or changed ("Verschiebe das Meeting …", "会議を…変更").
  if (meetingWords.test(text)) return { intent: 'schedule' };
  return { intent: question ? 'question' : 'other' };
}
