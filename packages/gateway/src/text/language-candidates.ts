/**
 * Which languages the detector answers, and how fastText's labels map onto them
 * (docs/architecture/0043-language-detection-fasttext.md).
 *
 * Candidates: the languages with Unicode CLDR's "modern" coverage level (cldr-core 48,
 * coverageLevels.json) that fastText's model knows and that have an ISO 639-1 code — the languages
 * software is fully localized into, which is where prompts come from. Tagalog stands for Filipino.
 */
import type { LabelScore } from './fasttext-model.ts';

const candidateLanguages: ReadonlySet<string> = new Set(
  (
    'af am ar as az ba be bg bn bs ca cs cv cy da de el en es et eu fa fi fr ga gd gl gu he hi hr hu ' +
    'hy id is it ja jv ka kk km kn ko ky lo lt lv mk ml mn mr ms my ne nl nn no or pa pl ps pt qu rm ' +
    'ro ru sd si sk sl so sq sr sv sw ta te th tk tl tr uk ur uz vi yo zh'
  ).split(' '),
);

/**
 * Labels that are not candidates but are written varieties of one: dialects and regional languages
 * that form a dialect continuum with a standard language whose speakers write that standard
 * (Alemannic, Bavarian and Luxembourgish → German; Neapolitan, Sicilian … → Italian), members of a
 * macrolanguage (Egyptian Arabic, Cantonese, Wu), and CLDR's alias of `sh` (Serbo-Croatian) → `sr`.
 * Every other label (constructed languages, Latin, minority languages of another branch) is dropped.
 */
const standardOf: Readonly<Record<string, string>> = {
  als: 'de',
  bar: 'de',
  pfl: 'de',
  nds: 'de',
  lb: 'de',
  li: 'nl',
  vls: 'nl',
  nap: 'it',
  scn: 'it',
  vec: 'it',
  lmo: 'it',
  pms: 'it',
  eml: 'it',
  co: 'it',
  wa: 'fr',
  an: 'es',
  ast: 'es',
  mwl: 'pt',
  sco: 'en',
  arz: 'ar',
  azb: 'az',
  mzn: 'fa',
  lrc: 'fa',
  pnb: 'pa',
  bh: 'hi',
  mai: 'hi',
  hif: 'hi',
  dty: 'ne',
  min: 'id',
  wuu: 'zh',
  yue: 'zh',
  sh: 'sr',
};

/** The model's probabilities per candidate language, varieties added to their standard language. */
export function candidateScores(labels: readonly LabelScore[]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const { label, probability } of labels) {
    const language = standardOf[label] ?? label;
    if (!candidateLanguages.has(language)) continue;
    scores.set(language, (scores.get(language) ?? 0) + probability);
  }
  return scores;
}
