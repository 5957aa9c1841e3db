/**
 * Runs every extractor over the prompt and merges their answers. Extractors run from the most
 * specific to the most general, and a later one may not claim characters an earlier one took:
 * the digits of a phone number are not also a number, "250 USD" is money, not a number, and
 * "French" after "to" is a language, not a place. Quotes are the exception: quoted text is
 * reported as a quote *and* may contain other entities.
 */
import { findAmounts, findNumbers } from './amount-entities.ts';
import { findDates } from './date-entities.ts';
import { type EntitySpan, overlaps } from './entity-span.ts';
import { findNamedEntities } from './named-entities.ts';
import { findContactDetails, findLanguages, findQuotes, findUrls } from './text-entities.ts';

export interface ExtractOptions {
  language: string;
  now: Date;
  /** Translation requests report every language name, not only those after "to", "in" … */
  translating: boolean;
}

/** Bounds the answer for huge prompts: the analysis stays small and quick to validate. */
const maximumEntities = 50;
const maximumValueLength = 200;

function claim(claimed: EntitySpan[], candidates: readonly EntitySpan[]): void {
  const fresh = candidates.filter((candidate) => !claimed.some((span) => overlaps(span, candidate)));
  claimed.push(...fresh);
}

export function extractEntitySpans(text: string, options: ExtractOptions): EntitySpan[] {
  const claimed: EntitySpan[] = [];
  claim(claimed, findUrls(text));
  claim(claimed, findContactDetails(text));
  claim(claimed, findAmounts(text, options.language));
  const quotes = findQuotes(text);
  // A date and a time may share one span ("next Friday at 7pm"), so they are claimed together.
  // Quoted text is content, not scheduling: "Translate 'Guten Morgen'" has no date "tomorrow".
  const dates = findDates(text, options.language, options.now).filter(
    (candidate) => ![...claimed, ...quotes].some((span) => overlaps(span, candidate)),
  );
  claimed.push(...dates);
  claim(claimed, findLanguages(text, options.translating));
  const named = findNamedEntities(text, options.language, claimed);
  claimed.push(...named);
  claimed.push(...findNumbers(text, claimed));
  const all = [...claimed, ...quotes].sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
  const seen = new Set<string>();
  const unique: EntitySpan[] = [];
  for (const span of all) {
    const key = `${span.type}\u0000${span.value.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push({ ...span, value: span.value.slice(0, maximumValueLength) });
    if (unique.length === maximumEntities) break;
  }
  return unique;
}
