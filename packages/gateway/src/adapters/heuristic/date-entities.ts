/**
 * Dates and times through chrono-node, in the prompt's language when chrono has a parser for it
 * (English otherwise, which still reads ISO dates and numeric forms). Values are normalized:
 * dates as YYYY-MM-DD, times as HH:MM (24 h), read from chrono's components rather than a Date so
 * the server's time zone never shifts them. Relative expressions resolve against `now`, which the
 * caller injects so results are reproducible.
 */
import * as chrono from 'chrono-node';
import { type EntitySpan, overlaps } from './entity-span.ts';

const parsers: Record<string, chrono.Chrono> = {
  en: chrono.en.casual,
  fr: chrono.fr.casual,
  de: chrono.de.casual,
  es: chrono.es.casual,
  it: chrono.it.casual,
  pt: chrono.pt.casual,
  nl: chrono.nl.casual,
  ja: chrono.ja.casual,
  zh: chrono.zh.casual,
  ru: chrono.ru.casual,
  sv: chrono.sv.casual,
  uk: chrono.uk.casual,
  ar: chrono.ar.casual,
};

const pad = (value: number) => String(value).padStart(2, '0');
const momentOfAsking = /^(?:now|right now|jetzt|maintenant|ahora|adesso|agora|nu|nú|сейчас|今|现在|지금)$/iu;

function describe(when: chrono.ParsedComponents, start: number, end: number): EntitySpan[] {
  const spans: EntitySpan[] = [];
  // "at 3pm" fixes only the hour: a time, not a date. A weekday, day, month or relative day
  // ("tomorrow") fixes the date.
  const datePart = ['day', 'weekday', 'month', 'year'].some((component) =>
    when.isCertain(component as chrono.Component),
  );
  if (datePart) {
    const value = `${when.get('year')}-${pad(when.get('month') ?? 1)}-${pad(when.get('day') ?? 1)}`;
    spans.push({ type: 'date', value, start, end });
  }
  if (when.isCertain('hour')) {
    const value = `${pad(when.get('hour') ?? 0)}:${pad(when.get('minute') ?? 0)}`;
    spans.push({ type: 'time', value, start, end });
  }
  return spans;
}

export function findDates(text: string, language: string, now: Date): EntitySpan[] {
  const spans = parseWith(parsers[language] ?? parsers.en!, text, now);
  // English dates ("March 3", "next Friday") appear in prompts of every language, and the detected
  // language can be a guess: add what the English parser finds where the first parser found nothing.
  if (language !== 'en') {
    for (const span of parseWith(parsers.en!, text, now)) {
      if (!spans.some((existing) => overlaps(existing, span))) spans.push(span);
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

function parseWith(parser: chrono.Chrono, text: string, now: Date): EntitySpan[] {
  const spans: EntitySpan[] = [];
  // Relative dates resolve in UTC so the host's time zone cannot change the answer.
  const reference = { instant: now, timezone: 'UTC' };
  for (const result of parser.parse(text, reference, { forwardDate: true })) {
    // "now" is the moment of asking, not a date the user mentioned ("don't stop me now").
    if (momentOfAsking.test(result.text.trim())) continue;
    const start = result.index;
    const end = start + result.text.length;
    spans.push(...describe(result.start, start, end));
    // A range ("from June 5 to June 8") reports its end date too.
    if (result.end) spans.push(...describe(result.end, start, end).filter((span) => span.type === 'date'));
  }
  return spans;
}
