/**
 * Language names as people write them in prompts ("to French", "ins Englische", "al inglés",
 * "英語に"), mapped to ISO 639-1 codes. Covers the languages the analyzer knows best; a name not
 * listed here is simply not reported as a language entity.
 */
const names: Record<string, readonly string[]> = {
  en: [
    'english',
    'anglais',
    'englisch',
    'englische',
    'englischen',
    'inglés',
    'ingles',
    'inglese',
    'inglês',
    'engels',
    'engelska',
    'английский',
    '英語',
    '英语',
    '英文',
    '영어',
  ],
  fr: [
    'french',
    'français',
    'francais',
    'französisch',
    'französische',
    'französischen',
    'francés',
    'francese',
    'francês',
    'frans',
    'franska',
    'французский',
    'フランス語',
    '法语',
    '法文',
    '프랑스어',
  ],
  de: [
    'german',
    'allemand',
    'deutsch',
    'deutsche',
    'deutschen',
    'alemán',
    'tedesco',
    'alemão',
    'duits',
    'tyska',
    'немецкий',
    'ドイツ語',
    '德语',
    '德文',
    '독일어',
  ],
  es: [
    'spanish',
    'espagnol',
    'spanisch',
    'spanische',
    'español',
    'spagnolo',
    'espanhol',
    'spaans',
    'spanska',
    'испанский',
    'スペイン語',
    '西班牙语',
    '스페인어',
  ],
  it: [
    'italian',
    'italien',
    'italienisch',
    'italiano',
    'italiaans',
    'italienska',
    'итальянский',
    'イタリア語',
    '意大利语',
  ],
  pt: [
    'portuguese',
    'portugais',
    'portugiesisch',
    'portugués',
    'portoghese',
    'português',
    'portugees',
    'portugisiska',
    'португальский',
    'ポルトガル語',
    '葡萄牙语',
  ],
  nl: [
    'dutch',
    'néerlandais',
    'niederländisch',
    'neerlandés',
    'olandese',
    'holandês',
    'nederlands',
    'nederländska',
    'オランダ語',
    '荷兰语',
  ],
  ru: ['russian', 'russe', 'russisch', 'ruso', 'russo', 'russisch', 'ryska', 'русский', 'ロシア語', '俄语'],
  zh: [
    'chinese',
    'mandarin',
    'chinois',
    'chinesisch',
    'chino',
    'cinese',
    'chinês',
    'chinees',
    'kinesiska',
    'китайский',
    '中国語',
    '中文',
    '汉语',
    '중국어',
  ],
  ja: [
    'japanese',
    'japonais',
    'japanisch',
    'japonés',
    'giapponese',
    'japonês',
    'japans',
    'japanska',
    'японский',
    '日本語',
    '日语',
    '일본어',
  ],
  ko: [
    'korean',
    'coréen',
    'koreanisch',
    'coreano',
    'koreaans',
    'koreanska',
    'корейский',
    '韓国語',
    '韩语',
    '한국어',
  ],
  ar: ['arabic', 'arabe', 'arabisch', 'árabe', 'arabo', 'arabiska', 'арабский', 'アラビア語', '阿拉伯语'],
  hi: ['hindi', 'хинди', 'ヒンディー語', '印地语'],
  tr: ['turkish', 'turc', 'türkisch', 'turco', 'turks', 'turkiska', 'турецкий', 'トルコ語', '土耳其语'],
  pl: [
    'polish',
    'polonais',
    'polnisch',
    'polaco',
    'polacco',
    'polonês',
    'pools',
    'polska',
    'польский',
    'ポーランド語',
  ],
  sv: [
    'swedish',
    'suédois',
    'schwedisch',
    'sueco',
    'svedese',
    'zweeds',
    'svenska',
    'шведский',
    'スウェーデン語',
  ],
  el: ['greek', 'grec', 'griechisch', 'griego', 'greco', 'grego', 'grieks', 'grekiska', 'ギリシャ語'],
  uk: ['ukrainian', 'ukrainien', 'ukrainisch', 'ucraniano', 'ucraino', 'украинский'],
};

const codeByName = new Map<string, string>();
for (const [code, list] of Object.entries(names)) for (const name of list) codeByName.set(name, code);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isCjk = (name: string) => /[\p{Script=Han}\p{Script=Katakana}\p{Script=Hangul}]/u.test(name);
const alternation = (list: string[]) =>
  list
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
const allNames = [...codeByName.keys()];
// Alphabetic names need word edges ("english" must not match inside "englishman"); CJK names
// are followed by particles without spaces (英語に), so they match anywhere.
const alphabeticPattern = new RegExp(
  `(?<!\\p{L})(?:${alternation(allNames.filter((name) => !isCjk(name)))})(?!\\p{L})`,
  'giu',
);
const cjkPattern = new RegExp(alternation(allNames.filter(isCjk)), 'gu');

export interface LanguageNameMatch {
  name: string;
  code: string;
  start: number;
  end: number;
  /** CJK names are explicit (…語 means "… language"); alphabetic ones may be adjectives. */
  explicit: boolean;
}

export function findLanguageNames(text: string): LanguageNameMatch[] {
  const matches: LanguageNameMatch[] = [];
  for (const [pattern, explicit] of [
    [alphabeticPattern, false],
    [cjkPattern, true],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      const code = codeByName.get(match[0].toLowerCase());
      if (code) {
        matches.push({
          name: match[0],
          code,
          start: match.index,
          end: match.index + match[0].length,
          explicit,
        });
      }
    }
  }
  return matches.sort((a, b) => a.start - b.start);
}

/** ISO 639-1 code for a language name ("French", "anglais", "英語"), or undefined. */
export function languageCodeOfName(name: string): string | undefined {
  return codeByName.get(name.toLowerCase());
}
