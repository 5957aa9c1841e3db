/**
 * People, places and organizations through compromise. Its lexicon is English, but names of
 * people, cities and companies are largely shared across Latin-script languages, so it runs on
 * any Latin-script prompt; other scripts are skipped rather than guessed at.
 */
import nlp from 'compromise';
import type { EntitySpan, EntityType } from './entity-span.ts';
import { languageCodeOfName } from './language-names.ts';

interface OffsetMatch {
  text: string;
  offset?: { start: number; length: number };
}

const latinLetters = /\p{Script=Latin}/gu;
const allLetters = /\p{L}/gu;

function mostlyLatin(text: string): boolean {
  const letters = text.match(allLetters)?.length ?? 0;
  return letters > 0 && (text.match(latinLetters)?.length ?? 0) * 2 > letters;
}

/** `exclude`: spans already claimed (a language name is not a place, an e-mail not a person). */
// Languages whose capitalisation matches English closely enough for compromise's name rules;
// elsewhere ("Yarın", "Jaka") capitalised sentence starts come out as people.
const supportedLanguages = new Set(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'no', 'und']);

export function findNamedEntities(
  text: string,
  language: string,
  exclude: readonly EntitySpan[],
): EntitySpan[] {
  if (!supportedLanguages.has(language) || !mostlyLatin(text)) return [];
  const document = nlp(text);
  const groups: Array<[EntityType, OffsetMatch[]]> = [
    ['person', document.people().json({ offset: true }) as OffsetMatch[]],
    ['place', document.places().json({ offset: true }) as OffsetMatch[]],
    ['organization', document.organizations().json({ offset: true }) as OffsetMatch[]],
  ];
  const spans: EntitySpan[] = [];
  for (const [type, matches] of groups) {
    for (const match of matches) {
      if (!match.offset) continue;
      // compromise keeps trailing punctuation on the last term ("Microsoft.").
      // and may run into a following lowercase word ("São Paulo para").
      const value = match.text
        .trim()
        .replace(/[\s.,;:!?'"’)-]+$/u, '')
        .replace(/^[\s("'‘]+/u, '')
        .replace(/(?:\s+\p{Ll}+)+$/u, '');
      // Names are capitalised in every language compromise can help with; "para" is not a place.
      if (!/^\p{Lu}/u.test(value)) continue;
      // "an Italian restaurant": a demonym is neither a place nor an organization.
      if (languageCodeOfName(value)) continue;
      const start = text.indexOf(value, match.offset.start);
      if (start < 0) continue;
      const span = { type, value, start, end: start + value.length };
      if (exclude.some((other) => span.start < other.end && span.end > other.start)) continue;
      if (spans.some((other) => span.start < other.end && span.end > other.start)) continue;
      spans.push(span);
    }
  }
  return spans;
}
