/**
 * Accuracy, speed and memory of the candidate language detectors (bench/lib/language-detectors.ts):
 * - on short user utterances in 17 languages and dialects, a file kept next to the repository (a
 *   dialect's parent language counts as right; skipped with the reason when the file is absent);
 * - on the project's multilingual prompt sample and on prompts in the smaller of two near-identical
 *   standards (Norwegian, Malay, Croatian), both in packages/gateway/src/text/language-sample.ts.
 * Each detector runs in its own child process so its load time and memory are its own.
 *
 *   node bench/language-detection.ts                 # every detector, Markdown tables
 *   node bench/language-detection.ts --only tinyld   # one detector, JSON (what the parent runs)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { languageSample, neighbourSample } from '../packages/gateway/src/text/language-sample.ts';
import { type Detect, detectors } from './lib/language-detectors.ts';

const devFile = new URL('../../shared/eval/language-dev.jsonl', import.meta.url);

/** Labels of the dev file that are dialects: the parent language, or the dialect's own code, is right. */
const acceptedFor: Record<string, readonly string[]> = {
  'de-ba': ['de', 'bar'],
  'de-st': ['de', 'bar'],
  gsw: ['de', 'gsw'],
  nap: ['it', 'nap'],
};

interface Utterance {
  text: string;
  lang: string;
}

interface Measurement {
  name: string;
  /** Correct answers and total per label of the dev file (empty when the file is absent). */
  dev: Record<string, [number, number]>;
  sample: [number, number];
  neighbours: [number, number];
  medianMicroseconds: number;
  loadMs: number;
  addedRssMb: number;
}

function readDevFile(): Utterance[] {
  if (!existsSync(devFile)) return [];
  return readFileSync(devFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Utterance);
}

function utterancesOf(sample: Readonly<Record<string, readonly string[]>>): Utterance[] {
  return Object.entries(sample).flatMap(([lang, prompts]) => prompts.map((text) => ({ text, lang })));
}

function total(tally: Record<string, [number, number]>): [number, number] {
  return Object.values(tally).reduce(([right, all], [r, n]) => [right + r, all + n], [0, 0]);
}

const isRight = (answer: string, label: string) =>
  answer === label || (acceptedFor[label] ?? []).includes(answer);

function score(detect: Detect, utterances: readonly Utterance[], times: number[]) {
  const perLabel: Record<string, [number, number]> = {};
  for (const { text, lang } of utterances) {
    const started = performance.now();
    const answer = detect(text);
    times.push(performance.now() - started);
    perLabel[lang] ??= [0, 0];
    const tally = perLabel[lang];
    tally[1]++;
    if (isRight(answer, lang)) tally[0]++;
  }
  return perLabel;
}

async function measure(name: string): Promise<Measurement> {
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const loadStart = performance.now();
  const detect = await detectors[name]!();
  detect('warm up the detector');
  const loadMs = performance.now() - loadStart;
  const times: number[] = [];
  const dev = score(detect, readDevFile(), times);
  const sample = total(score(detect, utterancesOf(languageSample), times));
  const neighbours = total(score(detect, utterancesOf(neighbourSample), times));
  times.sort((a, b) => a - b);
  // After a collection, what stays is the detector's resident model, not parse-time garbage.
  globalThis.gc?.();
  return {
    name,
    dev,
    sample,
    neighbours,
    medianMicroseconds: (times[times.length >> 1] ?? 0) * 1000,
    loadMs,
    addedRssMb: (process.memoryUsage().rss - rssBefore) / 1024 / 1024,
  };
}

const percent = (right: number, all: number) => (all === 0 ? '–' : `${((100 * right) / all).toFixed(1)}`);

function printTables(results: readonly Measurement[]): void {
  const labels = Object.keys(results[0]?.dev ?? {}).sort();
  if (labels.length === 0) {
    console.log(
      `Short utterances skipped: ${devFile.pathname} is absent (it lives outside the repository).\n`,
    );
  } else {
    const count = Object.values(results[0]!.dev).reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `Short utterances: ${count} lines, ${labels.length} labels; % right (a dialect's parent counts)\n`,
    );
    console.log(`| detector | overall | ${labels.join(' | ')} |`);
    console.log(`|---|---|${labels.map(() => '---').join('|')}|`);
    for (const r of results) {
      const cells = labels.map((label) => percent(...(r.dev[label] ?? [0, 0])));
      console.log(`| ${r.name} | **${percent(...total(r.dev))}** | ${cells.join(' | ')} |`);
    }
    console.log('');
  }
  const share = ([right, all]: [number, number]) => `${percent(right, all)}% (${right}/${all})`;
  console.log('| detector | project sample | no, ms, hr | median µs/call | load ms | added RSS MB |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${share(r.sample)} | ${share(r.neighbours)} | ${r.medianMicroseconds.toFixed(0)} | ${r.loadMs.toFixed(0)} | ${r.addedRssMb.toFixed(0)} |`,
    );
  }
}

const onlyIndex = process.argv.indexOf('--only');
if (onlyIndex > 0) {
  process.stdout.write(JSON.stringify(await measure(process.argv[onlyIndex + 1]!)));
} else {
  const results = Object.keys(detectors).map(
    (name) =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', import.meta.filename, '--only', name], {
          encoding: 'utf8',
          maxBuffer: 16 * 1024 * 1024,
        }),
      ) as Measurement,
  );
  printTables(results);
}
