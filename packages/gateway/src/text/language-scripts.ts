/**
 * Scripts that name the language on their own. n-grams add nothing there, and very short text
 * ("東京の天気", "감사합니다") would otherwise be a guess.
 */

/** Scripts that, when they make up most letters, are written by one language only. */
const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const singleLanguageScripts: ReadonlyArray<readonly [RegExp, string]> = [
  [kana, 'ja'],
  [/\p{Script=Hangul}/gu, 'ko'],
  [/\p{Script=Thai}/gu, 'th'],
  [/\p{Script=Greek}/gu, 'el'],
  [/\p{Script=Hebrew}/gu, 'he'],
  [/\p{Script=Armenian}/gu, 'hy'],
  [/\p{Script=Georgian}/gu, 'ka'],
  [/\p{Script=Lao}/gu, 'lo'],
  [/\p{Script=Ethiopic}/gu, 'am'],
];

const han = /\p{Script=Han}/gu;

export function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** Letters where a Han character weighs three: it carries about as much as a short word. */
export function weightedLetters(text: string, letterCount: number): number {
  return letterCount + 2 * count(text, han);
}

/**
 * The language a script decides, if any. Japanese mixes kana with kanji, so Han characters count
 * towards it once kana are present; Han without kana is Chinese (names in Latin letters around it
 * do not change the language of the sentence).
 */
export function languageByScript(text: string, letterCount: number): string | undefined {
  const hanCount = count(text, han);
  for (const [pattern, language] of singleLanguageScripts) {
    let hits = count(text, pattern);
    if (language === 'ja' && hits > 0) hits += hanCount;
    if (hits * 2 > letterCount) return language;
  }
  const weighted = weightedLetters(text, letterCount);
  if (hanCount > 0 && count(text, kana) === 0 && 3 * hanCount * 2 >= weighted) {
    return 'zh';
  }
  return undefined;
}
