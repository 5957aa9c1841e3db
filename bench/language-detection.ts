/**
 * Measures accuracy and speed of the candidate language detectors on the project's multilingual
 * prompt sample. Each candidate runs in its own child process so load time and memory are its own.
 *
 *   node bench/language-detection.ts            # table for every candidate
 *   node bench/language-detection.ts eld-large  # one candidate, JSON (used by the parent)
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { languageSample } from '../packages/gateway/src/text/language-sample.ts';

type Detect = (text: string) => string;

// franc answers ISO 639-3; the service speaks ISO 639-1. Only the codes the sample can produce matter.
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
  jpn: 'ja',
  kor: 'ko',
  arb: 'ar',
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
  nno: 'no',
  fin: 'fi',
  ron: 'ro',
  hun: 'hu',
  ell: 'el',
  heb: 'he',
  pes: 'fa',
  urd: 'ur',
  ben: 'bn',
  mar: 'mr',
  ind: 'id',
  zlm: 'ms',
  vie: 'vi',
  tha: 'th',
  cat: 'ca',
  glg: 'gl',
  slk: 'sk',
  hrv: 'hr',
  srp: 'sr',
  azj: 'az',
  uzn: 'uz',
  als: 'sq',
  tgl: 'tl',
  swh: 'sw',
  nep: 'ne',
  sco: 'en',
};

const candidates: Record<string, () => Promise<Detect>> = {
  'eld-large': async () => {
    const { eld } = await import('eld/large');
    return (text) => eld.detect(text).language;
  },
  'eld-medium': async () => {
    const { eld } = await import('eld/medium');
    return (text) => eld.detect(text).language;
  },
  'eld-small': async () => {
    const { eld } = await import('eld/small');
    return (text) => eld.detect(text).language;
  },
  tinyld: async () => {
    const tinyld = await import('tinyld');
    return (text) => tinyld.detect(text);
  },
  'tinyld-light': async () => {
    const tinyld = await import('tinyld/light');
    return (text) => tinyld.detect(text);
  },
  'tinyld-heavy': async () => {
    const tinyld = await import('tinyld/heavy');
    return (text) => tinyld.detect(text);
  },
  'franc-min': async () => {
    const { franc } = await import('franc-min');
    // minLength 1: prompts are short and the default (10) would answer `und` for many of them.
    return (text) => {
      const code = franc(text, { minLength: 1 });
      return iso3To1[code] ?? code;
    };
  },
};

interface Measurement {
  name: string;
  correct: number;
  total: number;
  shortCorrect: number;
  shortTotal: number;
  loadMs: number;
  microsecondsPerPrompt: number;
  rssMb: number;
  heapMb: number;
  perLanguage: Record<string, number>;
  misses: string[];
}

const shortLimit = 30;
const speedRounds = 50;

async function measure(name: string): Promise<Measurement> {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const loadStart = performance.now();
  const detect = await candidates[name]!();
  detect('warm up the detector');
  const loadMs = performance.now() - loadStart;
  let correct = 0;
  let total = 0;
  let shortCorrect = 0;
  let shortTotal = 0;
  const perLanguage: Record<string, number> = {};
  const misses: string[] = [];
  for (const [language, prompts] of Object.entries(languageSample)) {
    perLanguage[language] = 0;
    for (const prompt of prompts) {
      const hit = detect(prompt) === language;
      total++;
      if (hit) {
        correct++;
        perLanguage[language]++;
      } else misses.push(`${language}→${detect(prompt) || '∅'}: ${prompt}`);
      if (prompt.length <= shortLimit) {
        shortTotal++;
        if (hit) shortCorrect++;
      }
    }
  }
  const all = Object.values(languageSample).flat();
  const speedStart = performance.now();
  for (let round = 0; round < speedRounds; round++) for (const prompt of all) detect(prompt);
  const microsecondsPerPrompt = ((performance.now() - speedStart) * 1000) / (speedRounds * all.length);
  // After a collection, what stays is the detector's resident model, not parse-time garbage.
  globalThis.gc?.();
  const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  return {
    name,
    correct,
    total,
    shortCorrect,
    shortTotal,
    loadMs,
    microsecondsPerPrompt,
    rssMb,
    heapMb,
    perLanguage,
    misses,
  };
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

const only = process.argv[2];
if (only) {
  process.stdout.write(JSON.stringify(await measure(only)));
} else {
  const results: Measurement[] = Object.keys(candidates).map((name) =>
    JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', import.meta.filename, name], { encoding: 'utf8' }),
    ),
  );
  const promptCount = Object.values(languageSample).flat().length;
  console.log(`${promptCount} prompts, ${Object.keys(languageSample).length} languages\n`);
  console.log('| detector | accuracy | short (≤30 chars) | µs/prompt | load ms | RSS MB | heap MB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${percent(r.correct, r.total)} (${r.correct}/${r.total}) | ${percent(r.shortCorrect, r.shortTotal)} (${r.shortCorrect}/${r.shortTotal}) | ${r.microsecondsPerPrompt.toFixed(1)} | ${r.loadMs.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.heapMb.toFixed(0)} |`,
    );
  }
  console.log('\nPer language (correct of 10):');
  const languages = Object.keys(languageSample);
  console.log(`| detector | ${languages.join(' | ')} |`);
  console.log(`|---|${languages.map(() => '---').join('|')}|`);
  for (const r of results)
    console.log(`| ${r.name} | ${languages.map((l) => r.perLanguage[l]).join(' | ')} |`);
  for (const r of results) console.log(`\nMisses of ${r.name}:\n  ${r.misses.join('\n  ') || '(none)'}`);
}
