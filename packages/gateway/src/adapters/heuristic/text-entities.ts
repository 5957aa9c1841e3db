/**
 * Entities recognisable from the characters alone: URLs, e-mail addresses and phone numbers
 * (the same detectors as PII redaction, so the two never disagree), quoted text and language names.
 */
import { scanPii } from '../../text/pii.ts';
import type { EntitySpan } from './entity-span.ts';
import { findLanguageNames } from './language-names.ts';

const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/gi;
// Pairs of opening/closing marks; the straight quotes need care because ' is also an apostrophe.
// A quote also ends at the next opening mark, so a run of unclosed marks is scanned once.
const quotePatterns: RegExp[] = [
  /"([^"\n]{1,300})"/g,
  /“([^“”\n]{1,300})”/g,
  /„([^„“”\n]{1,300})[“”]/g,
  /«\s?([^«»\n]{1,300}?)\s?»/g,
  /‹([^‹›\n]{1,300})›/g,
  /「([^「」\n]{1,300})」/g,
  /『([^『』\n]{1,300})』/g,
  /`([^`\n]{1,300})`/g,
  /(?<=^|[\s(:])'([^'\n]{1,300})'(?=$|[\s).,;:!?])/g,
];
// A language name reads as "the target/source language" after these words, not as an adjective
// ("to French", "en anglais", "ins Englische", "al inglés" — but not "an Italian restaurant").
const languageContext =
  /(?:^|[\s(])(?:to|into|in|from|en|vers|depuis|ins|auf|nach|aus|al|del|a|in|para|para o|naar|uit|till|på|från|na|z|на|с|dil|into the)\s+$/i;
const languageSuffix = /^\s+(?:language|langue|sprache|idioma|lingua|taal|språket)\b/i;

export function findUrls(text: string): EntitySpan[] {
  return [...text.matchAll(urlPattern)].map((match) => {
    // Sentence punctuation after a link belongs to the sentence.
    const value = match[0].replace(/[.,;:!?)\]}>]+$/, '');
    return { type: 'url', value, start: match.index, end: match.index + value.length };
  });
}

export function findContactDetails(text: string): EntitySpan[] {
  return scanPii(text)
    .findings.filter((finding) => finding.type === 'email' || finding.type === 'phone')
    .map((finding) => ({
      type: finding.type === 'email' ? 'email' : 'phone',
      value: text.slice(finding.start, finding.end),
      start: finding.start,
      end: finding.end,
    }));
}

export function findQuotes(text: string): EntitySpan[] {
  const spans: EntitySpan[] = [];
  for (const pattern of quotePatterns) {
    for (const match of text.matchAll(pattern)) {
      const value = match[1]!.trim();
      if (value) spans.push({ type: 'quote', value, start: match.index, end: match.index + match[0].length });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** `translating`: in a translation request every language name counts, whatever precedes it. */
export function findLanguages(text: string, translating: boolean): EntitySpan[] {
  return findLanguageNames(text)
    .filter(
      (match) =>
        match.explicit ||
        translating ||
        languageContext.test(text.slice(Math.max(0, match.start - 12), match.start)) ||
        languageSuffix.test(text.slice(match.end, match.end + 12)),
    )
    .map((match) => ({ type: 'language', value: match.name, start: match.start, end: match.end }));
}
