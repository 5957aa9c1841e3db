/**
 * The language detectors bench/language-detection.ts compares, each loaded the way a service would
 * (once), each answering an ISO 639-1 code when it has one (ISO 639-3 otherwise, e.g. `gsw`).
 */
import { loadFastTextModel } from '../../packages/gateway/src/text/fasttext-model.ts';
import { loadLanguageDetector } from '../../packages/gateway/src/text/language-detector.ts';

export type Detect = (text: string) => string;

// ISO 639-3 → 639-1 for the codes the detectors answer on our texts (franc and lande answer 639-3).
const iso3To1: Record<string, string> = {
  eng: 'en',
  fra: 'fr',
  deu: 'de',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  nld: 'nl',
  rus: 'ru',
  cmn: 'zh',
  zho: 'zh',
  jpn: 'ja',
  kor: 'ko',
  arb: 'ar',
  ara: 'ar',
  hin: 'hi',
  tur: 'tr',
  pol: 'pl',
  swe: 'sv',
  ukr: 'uk',
  bel: 'be',
  bul: 'bg',
  ces: 'cs',
  dan: 'da',
  nob: 'no',
  nno: 'nn',
  nor: 'no',
  fin: 'fi',
  ron: 'ro',
  hun: 'hu',
  ell: 'el',
  heb: 'he',
  pes: 'fa',
  fas: 'fa',
  urd: 'ur',
  ben: 'bn',
  mar: 'mr',
  ind: 'id',
  zlm: 'ms',
  zsm: 'ms',
  msa: 'ms',
  vie: 'vi',
  tha: 'th',
  cat: 'ca',
  glg: 'gl',
  slk: 'sk',
  slv: 'sl',
  hrv: 'hr',
  srp: 'sr',
  bos: 'bs',
  azj: 'az',
  aze: 'az',
  uzn: 'uz',
  uzb: 'uz',
  tgl: 'tl',
  swh: 'sw',
  swa: 'sw',
  nep: 'ne',
  kaz: 'kk',
  kir: 'ky',
  lit: 'lt',
  lav: 'lv',
  est: 'et',
  afr: 'af',
  tat: 'tt',
  mkd: 'mk',
  sqi: 'sq',
  als: 'sq',
  eus: 'eu',
  isl: 'is',
  gle: 'ga',
  cym: 'cy',
  epo: 'eo',
};

const toIso1 = (code: string): string => (code.length === 3 ? (iso3To1[code] ?? code) : code);

export const detectors: Record<string, () => Promise<Detect>> = {
  'fasttext + rules (chosen)': async () => {
    const detector = await loadLanguageDetector();
    return (text) => detector.detect(text).language;
  },
  'fasttext lid.176 (top label)': async () => {
    const model = await loadFastTextModel();
    // Wikipedia codes: `als` is Alemannic (ISO gsw).
    return (text) => {
      const label = model.predict(text)[0]?.label ?? 'und';
      return label === 'als' ? 'gsw' : label;
    };
  },
  tinyld: async () => {
    const tinyld = await import('tinyld');
    return (text) => tinyld.detect(text) || 'und';
  },
  'tinyld-light (replaced)': async () => {
    const tinyld = await import('tinyld/light');
    return (text) => tinyld.detect(text) || 'und';
  },
  'eld-medium': async () => {
    const { eld } = await import('eld/medium');
    return (text) => eld.detect(text).language || 'und';
  },
  'cld3-asm': async () => {
    const { loadModule } = await import('cld3-asm');
    const identifier = (await loadModule()).create(0, 1000);
    return (text) => identifier.findLanguage(text).language.split('-')[0] ?? 'und';
  },
  lande: async () => {
    const lande = (await import('lande')).default;
    return (text) => toIso1(lande(text)[0]?.[0] ?? 'und');
  },
  '@nlpjs/language': async () => {
    const { Language } = await import('@nlpjs/language');
    const guesser = new Language();
    return (text) => guesser.guessBest(text).alpha2 ?? 'und';
  },
  'franc-min': async () => {
    const { franc } = await import('franc-min');
    // minLength 1: prompts are short and the default (10) would answer `und` for many of them.
    return (text) => toIso1(franc(text, { minLength: 1 }));
  },
};
