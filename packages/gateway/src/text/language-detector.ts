/**
 * Detects the language of a prompt as an ISO 639-1 code with a 0–1 confidence.
 *
 * The n-gram model is tinyld's light build, chosen on our prompt sample for accuracy per megabyte
 * (docs/architecture/0003-language-detection.md): 95.6% against eld-medium's 98.1%, for 23 MB of
 * memory instead of 238 MB. Two rules sit in front of it:
 * - scripts used by one language only (Hangul, kana, Thai, Greek, Hebrew, Armenian, Georgian …)
 *   decide directly: n-grams add nothing there and very short text would otherwise be a guess;
 * - short or ambiguous text answers `und` (undetermined) rather than a confident wrong code:
 *   "hello world" scores Norwegian a hair above Tagalog, and a wrong `original_language` is worse
 *   than an honest `und`. The best guess is still returned as `candidate`.
 *
 * Confidence = relative margin between the two best tinyld scores ((best − second) / best, × 1.5,
 * capped at 0.99) × a length factor
 * that reaches 1 at 20 letters (a Han character weighs three); below `minimumConfidence` (0.3) the answer is `und`.
 */
import { detectAll } from 'tinyld/light';

export type LanguageSource = 'forced' | 'script' | 'model' | 'none';

export interface LanguageDetection {
  /** ISO 639-1 code, or `und` when the text does not tell. */
  language: string;
  confidence: number;
  source: LanguageSource;
  /** Best guess even when `language` is `und` (absent when there is no guess at all). */
  candidate?: string;
}

const undetermined = 'und';
const minimumConfidence = 0.3;
const fullLengthLetters = 20;
// tinyld's scores are small numbers whose gaps only mean something relative to the best score. On our
// sample, 95% of correct answers have a relative margin ≥ 0.26, while three of the seven wrong ones
// are below 0.16; × 1.5 puts the `und` cut (0.3) at a relative margin of 0.2 for full-length text.
const marginScale = 1.5;

/** Scripts that, when they make up most letters, name the language on their own. */
const singleLanguageScripts: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/gu, 'ja'],
  [/\p{Script=Hangul}/gu, 'ko'],
  [/\p{Script=Thai}/gu, 'th'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Armenian}/gu, 'hy'],
  [/\p{Script=Georgian}/gu, 'ka'],
  [/\p{Script=Lao}/gu, 'lo'],
  [/\p{Script=Ethiopic}/gu, 'am'],
];

// Marks count as letters: Devanagari, Arabic and Thai vowels are combining marks.
const letters = /[\p{L}\p{M}]/gu;
const han = /\p{Script=Han}/gu;

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

function byScript(text: string, letterCount: number): LanguageDetection | undefined {
  for (const [pattern, language] of singleLanguageScripts) {
    let hits = count(text, pattern);
    // Japanese mixes kana with kanji: Han characters count towards it once kana are present.
    if (language === 'ja' && hits > 0) hits += count(text, han);
    if (hits * 2 > letterCount) return { language, confidence: 0.95, source: 'script' };
  }
  return undefined;
}

/** Lower-cases, strips a region (`pt-BR` → `pt`); undefined when it is not a language code. */
export function normalizeLanguageCode(code: string): string | undefined {
  const match = /^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$/i.exec(code.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}

// Quoted material is what the request is about, not the language it is written in:
// «Traduce "Good morning, how are you?" al español» is a Spanish prompt.
const quoted = /"[^"\n]*"|“[^”\n]*”|„[^“”\n]*[“”]|«[^»\n]*»|「[^」\n]*」|『[^』\n]*』/gu;
const minimumUnquotedLetters = 8;

/** `language`: `auto` to detect, or a code the caller forces (then confidence is 1). */
export function detectLanguage(text: string, language = 'auto'): LanguageDetection {
  if (language !== 'auto') {
    const forced = normalizeLanguageCode(language);
    if (forced) return { language: forced, confidence: 1, source: 'forced' };
  }
  const unquoted = text.replace(quoted, ' ');
  if (unquoted.length < text.length && count(unquoted, letters) >= minimumUnquotedLetters) {
    const instructions = detectText(unquoted);
    if (instructions.language !== undetermined) return instructions;
  }
  return detectText(text);
}

function detectText(text: string): LanguageDetection {
  const letterCount = count(text, letters);
  if (letterCount === 0) return { language: undetermined, confidence: 0, source: 'none' };
  const scripted = byScript(text, letterCount);
  if (scripted) return scripted;

  const ranked = detectAll(text);
  const best = ranked[0]?.lang;
  if (!best) return { language: undetermined, confidence: 0, source: 'none' };
  const top = ranked[0]?.accuracy ?? 0;
  const margin = top > 0 ? (top - (ranked[1]?.accuracy ?? 0)) / top : 0;
  // A Han character carries about as much as a short word, so it weighs three letters.
  const weightedLetters = letterCount + 2 * count(text, han);
  const lengthFactor = Math.min(1, weightedLetters / fullLengthLetters);
  const confidence = round(Math.min(0.99, margin * marginScale) * lengthFactor);
  if (confidence < minimumConfidence) {
    return { language: undetermined, confidence, source: 'model', candidate: best };
  }
  return { language: best, confidence, source: 'model', candidate: best };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
