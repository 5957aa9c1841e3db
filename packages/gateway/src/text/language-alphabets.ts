/**
 * Alphabet evidence: a letter that a language's orthography does not use is strong evidence against
 * it. "Du e Wecker für morn" cannot be Portuguese (ü), "Nustatyk žadintuvą" cannot be Polish (ž),
 * "оятқышты орнат" cannot be Russian or Kyrgyz (қ) — short text that fastText's n-grams misjudge.
 *
 * Each Latin or Cyrillic candidate lists the letters it uses beyond the basic set of its script
 * (a–z; the 33 Russian letters), common loan letters included (English "café", German "Café").
 * A foreign letter in an ordinary word multiplies the language's score by 0.001; one found only in
 * capitalized words after the first (names: "Motörhead", "Björk") by 0.1.
 */

const extraLetters: Readonly<Record<string, string>> = {
  af: 'áäéèêëíîïóôöúûüŉ',
  az: 'çəğıöşü',
  bs: 'čćđšž',
  ca: 'àçéèíïòóúü',
  cs: 'áčďéěíňóřšťúůýž',
  cy: 'âêîôûŵŷáéíóúàèìòùäëïöüÿ',
  da: 'æøåéü',
  de: 'äöüßé',
  en: 'éèêëïñçà',
  es: 'áéíñóúü',
  et: 'äöõüšž',
  eu: 'ñü',
  fi: 'äöåšž',
  fr: 'àâæçéèêëîïôœùûüÿ',
  ga: 'áéíóú',
  gd: 'àèìòùáéó',
  gl: 'áéíñóúü',
  hr: 'čćđšž',
  hu: 'áéíóöőúüű',
  id: 'é',
  is: 'áðéíóúýþæö',
  it: 'àèéìíîòóùú',
  jv: 'éèê',
  lt: 'ąčęėįšųūž',
  lv: 'āčēģīķļņšūž',
  ms: 'é',
  nl: 'áéèêëïóöü',
  nn: 'æøåéèóòâô',
  no: 'æøåéèóòâô',
  pl: 'ąćęłńóśźż',
  pt: 'áâãàçéêíóôõúü',
  qu: 'ñ',
  rm: 'àéèêìòùäöü',
  ro: 'ăâîșțşţ',
  sk: 'áäčďéíĺľňóôŕšťúýž',
  sl: 'čšžćđ',
  so: '',
  sq: 'çë',
  sr: 'čćđšžђјљњћџ',
  sv: 'åäöé',
  sw: '',
  tk: 'äçňöşüýž',
  tl: 'ñ',
  tr: 'çğıöşüâîû',
  uz: 'ʻʼўқғҳ',
  vi: 'àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ',
  yo: 'áàéèẹíìóòọúùṣń',
  ru: '',
  uk: 'ґєії',
  be: 'іў',
  bg: 'ѝ',
  mk: 'ѓѕјљњќџ',
  kk: 'әғқңөұүһі',
  ky: 'ңөү',
  mn: 'өү',
  ba: 'әғҡңөҫүһҙ',
  cv: 'ӑӗҫӳ',
};

const basicLetter = /[a-zа-яё]/u;
const latinOrCyrillic = /[\p{Script=Latin}\p{Script=Cyrillic}ʻʼ]/u;
const ordinaryWordPenalty = 0.001;
const nameOnlyPenalty = 0.1;

interface ExtendedLetters {
  /** Letters beyond the basic sets, in words that are not names. */
  ordinary: Set<string>;
  /** Letters beyond the basic sets that appear only in capitalized words after the first. */
  namesOnly: Set<string>;
}

function extendedLetters(text: string): ExtendedLetters {
  const ordinary = new Set<string>();
  const inNames = new Set<string>();
  const words = text.match(/[\p{L}\p{M}]+|[.!?]/gu) ?? [];
  let sentenceStart = true;
  for (const word of words) {
    if (/^[.!?]$/.test(word)) {
      sentenceStart = true;
      continue;
    }
    const target = !sentenceStart && /^\p{Lu}/u.test(word) ? inNames : ordinary;
    for (const letter of word.toLowerCase()) {
      if (latinOrCyrillic.test(letter) && !basicLetter.test(letter)) target.add(letter);
    }
    sentenceStart = false;
  }
  for (const letter of ordinary) inNames.delete(letter);
  return { ordinary, namesOnly: inNames };
}

function foreignCount(letters: ReadonlySet<string>, alphabet: string): number {
  let count = 0;
  for (const letter of letters) if (!alphabet.includes(letter)) count++;
  return count;
}

/** Lowers the score of every candidate whose alphabet lacks letters the text uses. */
export function applyAlphabetEvidence(scores: Map<string, number>, text: string): void {
  const { ordinary, namesOnly } = extendedLetters(text);
  if (ordinary.size === 0 && namesOnly.size === 0) return;
  for (const [language, score] of scores) {
    // Languages of other scripts use none of these letters.
    const alphabet = extraLetters[language] ?? '';
    const factor =
      ordinaryWordPenalty ** foreignCount(ordinary, alphabet) *
      nameOnlyPenalty ** foreignCount(namesOnly, alphabet);
    scores.set(language, score * factor);
  }
}
