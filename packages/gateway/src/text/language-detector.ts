/**
 * Detects the language of a prompt as an ISO 639-1 code with a 0–1 confidence
 * (docs/architecture/0043-language-detection-fasttext.md). In order:
 * - a language the caller forces is taken as is;
 * - quoted material is left out when enough text remains: it is what the request is about, not the
 *   language it is written in;
 * - text with no letters once URLs and e-mail addresses are removed answers `und` (undetermined);
 * - scripts written by one language decide directly (language-scripts.ts);
 * - otherwise fastText's probabilities over the candidate languages (language-candidates.ts),
 *   lowered for languages whose alphabet lacks the text's letters (language-alphabets.ts), with
 *   German's standalone capitalized nouns counting for German (noun-capitalization.ts), and
 *   near-identical standards told apart by their spelling (confusable-languages.ts).
 *
 * Confidence = the chosen language's share of the remaining probability (at most 0.99) × a length
 * factor that reaches 1 at 20 letters (a Han character weighs three); a script rule gives 0.95.
 */
import { mergeConfusableLanguages } from './confusable-languages.ts';
import { type LanguageModel, loadFastTextModel } from './fasttext-model.ts';
import { applyAlphabetEvidence } from './language-alphabets.ts';
import { candidateScores } from './language-candidates.ts';
import { count, languageByScript, weightedLetters } from './language-scripts.ts';
import { applyNounCapitalization } from './noun-capitalization.ts';

export type LanguageSource = 'forced' | 'script' | 'model' | 'none';

export interface LanguageDetection {
  /** ISO 639-1 code, or `und` when the text carries no language (no letters, only a URL). */
  language: string;
  confidence: number;
  source: LanguageSource;
  /** The best guess; the same as `language` unless nothing could be guessed (then absent). */
  candidate?: string;
}

export interface LanguageDetector {
  /** `language`: `auto` to detect, or a code the caller forces (then confidence is 1). */
  detect(text: string, language?: string): LanguageDetection;
}

/** Loads the model once (asynchronous); detection afterwards is synchronous. */
export async function loadLanguageDetector(): Promise<LanguageDetector> {
  const model = await loadFastTextModel();
  return { detect: (text, language = 'auto') => detectLanguage(model, text, language) };
}

const undetermined: LanguageDetection = { language: 'und', confidence: 0, source: 'none' };
const fullLengthLetters = 20;
const scriptConfidence = 0.95;
const maximumConfidence = 0.99;

// Marks count as letters: Devanagari, Arabic and Thai vowels are combining marks.
const letters = /[\p{L}\p{M}]/gu;
// Links and addresses name things; they say nothing about the language around them. An address
// starts where a word does: tried from inside a long word too, it would rescan the word each time.
const linksAndAddresses = /(?:https?:\/\/|www\.)\S+|(?<![^\s@])[^\s@]+@[^\s@]+\.[^\s@]+/giu;
// «Traduce "Good morning, how are you?" al español» is a Spanish prompt. A quote ends at the next
// opening mark too, so a run of unclosed marks is scanned once, not once per mark.
const quoted = /"[^"\n]*"|“[^“”\n]*”|„[^„“”\n]*[“”]|«[^«»\n]*»|「[^「」\n]*」|『[^『』\n]*』/gu;
const minimumUnquotedLetters = 8;

/** Lower-cases, strips a region (`pt-BR` → `pt`); undefined when it is not a language code. */
export function normalizeLanguageCode(code: string): string | undefined {
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$/i.exec(code.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

function detectLanguage(model: LanguageModel, text: string, language: string): LanguageDetection {
  if (language !== 'auto') {
    const forced = normalizeLanguageCode(language);
    if (forced) return { language: forced, confidence: 1, source: 'forced' };
  }
  const content = text.normalize('NFC').replace(linksAndAddresses, ' ');
  const unquoted = content.replace(quoted, ' ');
  if (unquoted.length < content.length && count(unquoted, letters) >= minimumUnquotedLetters) {
    return detectText(model, unquoted);
  }
  return detectText(model, content);
}

function detectText(model: LanguageModel, text: string): LanguageDetection {
  const letterCount = count(text, letters);
  if (letterCount === 0) return undetermined;
  const scripted = languageByScript(text, letterCount);
  if (scripted) {
    return { language: scripted, confidence: scriptConfidence, source: 'script', candidate: scripted };
  }
  const scores = candidateScores(model.predict(text));
  applyNounCapitalization(scores, text);
  applyAlphabetEvidence(scores, text);
  const languageOf = mergeConfusableLanguages(scores, text);
  let best: string | undefined;
  let total = 0;
  for (const [language, score] of scores) {
    total += score;
    if (best === undefined || score > scores.get(best)!) best = language;
  }
  if (best === undefined || total === 0) return undetermined;
  const lengthFactor = Math.min(1, weightedLetters(text, letterCount) / fullLengthLetters);
  const share = Math.min(maximumConfidence, scores.get(best)! / total);
  const language = languageOf(best);
  return { language, confidence: round(share * lengthFactor), source: 'model', candidate: language };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
