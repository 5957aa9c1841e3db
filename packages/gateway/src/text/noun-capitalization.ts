/**
 * Noun capitalization evidence. Among the Latin-script candidates only German capitalizes common
 * nouns inside a sentence: "Du e Wecker für morn em Morge", "Bruchi morn e Schirm?". Swiss,
 * Bavarian and Tyrolean German are written as they are spoken, so on a short prompt fastText's
 * n-grams often take them for English, Portuguese or Slovene — but they keep the standard's
 * capitalized nouns.
 *
 * Names are capitalized in every language, so the evidence counts only words that stand alone: a
 * capitalized word whose neighbours in the sentence are not capitalized (titles and names come in
 * runs: "Happiness Was Free", "Tioga Colorado"). When such words make up at least a fifth of the
 * words after the first of each sentence, German's score is multiplied by 20. The rule breaks ties
 * between languages the model already finds plausible: it does not lift German when the model gives
 * it less than 2% of the leader's probability, nor when the text has letters German does not write
 * natively (é in "degrés Celsius"). It runs before the alphabet evidence, on the model's own reading.
 */

const word = /\p{L}[\p{L}\p{M}'’-]*/gu;
const sentenceBreak = /[.!?¿¡:;]+/u;
const capitalized = /^\p{Lu}\p{Ll}/u;
const nonGermanLetter = /[\p{L}--[a-zA-ZäöüÄÖÜß]]/v;
const minimumShare = 0.2;
const germanFactor = 20;
const minimumPlausibility = 0.02;

/** Raises German's score when standalone capitalized words are as frequent as German nouns. */
export function applyNounCapitalization(scores: Map<string, number>, text: string): void {
  const german = scores.get('de');
  if (german === undefined || nonGermanLetter.test(text)) return;
  if (german < Math.max(...scores.values()) * minimumPlausibility) return;
  let inside = 0;
  let standalone = 0;
  for (const sentence of text.split(sentenceBreak)) {
    const capitals = Array.from(sentence.matchAll(word), (match) => capitalized.test(match[0]));
    for (let index = 1; index < capitals.length; index++) {
      inside++;
      if (capitals[index] && !capitals[index - 1] && !capitals[index + 1]) standalone++;
    }
  }
  if (standalone > 0 && standalone / inside >= minimumShare) scores.set('de', german * germanFactor);
}
