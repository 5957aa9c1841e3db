/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): where the CPU time went, by function (self
 * time), by file or package (self time), and the service's own functions by inclusive time (self +
 * everything they call), which is what points at the step of the pipeline to fix.
 *
 *   node bench/summarize-profile.ts <file.cpuprofile> [top=20]
 *   node bench/summarize-profile.ts <file.cpuprofile> --callers writeUtf8String
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy time (idle excluded). */
  share: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  bySelfTime: ProfileEntry[];
  byFile: ProfileEntry[];
  serviceInclusive: ProfileEntry[];
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function location(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith('/') ? relative(repoRoot, path) : path;
}

/** `node_modules/<package>` for dependencies (their internals are one line item), else the file. */
function fileGroup(url: string): string {
  const path = location(url);
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (match) return `node_modules/${match[1]}`;
  return path || '(native / V8)';
}

function functionKey(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  const where = location(url);
  return where ? `${where}:${lineNumber + 1} ${name}` : name;
}

function top(totals: Map<string, number>, busyMs: number, count: number): ProfileEntry[] {
  return [...totals]
    .sort((left, right) => right[1] - left[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
}

/** `window` is in ms since the profile started (about when the process was spawned). */
export function summarizeProfile(
  profile: CpuProfile,
  count = 20,
  window: { fromMs: number; toMs: number } = { fromMs: 0, toMs: Number.POSITIVE_INFINITY },
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  let clockMs = 0;
  profile.samples.forEach((id, index) => {
    // timeDeltas[i] is the time before sample i; attributing it to sample i is V8's convention.
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    clockMs += ms;
    if (clockMs < window.fromMs || clockMs > window.toMs) return;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const key = functionKey(node);
    self.set(key, (self.get(key) ?? 0) + ms);
    const group = fileGroup(node.callFrame.url);
    files.set(group, (files.get(group) ?? 0) + ms);
    // Count each service function once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current);
      if (!frame || !location(frame.callFrame.url).startsWith('packages/')) continue;
      const frameKey = functionKey(frame);
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      inclusive.set(frameKey, (inclusive.get(frameKey) ?? 0) + ms);
    }
  });
  return {
    busyMs,
    idleMs,
    bySelfTime: top(self, busyMs, count),
    byFile: top(files, busyMs, count),
    serviceInclusive: top(inclusive, busyMs, count),
  };
}

/**
 * Who calls a hot native function (e.g. `writeUtf8String`): the call stacks above the samples whose
 * leaf function name is `leafName`, `depth` frames deep, by time.
 */
export function callersOf(profile: CpuProfile, leafName: string, depth = 4, count = 10): ProfileEntry[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    if (byId.get(id)?.callFrame.functionName !== leafName) return;
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    total += ms;
    const frames: string[] = [];
    for (
      let current = parent.get(id);
      current !== undefined && frames.length < depth;
      current = parent.get(current)
    ) {
      const frame = byId.get(current);
      if (frame) frames.push(functionKey(frame));
    }
    const key = frames.join('\n      ← ');
    stacks.set(key, (stacks.get(key) ?? 0) + ms);
  });
  return top(stacks, total, count);
}

export function loadProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

export function formatProfileSummary(summary: ProfileSummary): string {
  const section = (title: string, entries: ProfileEntry[]): string[] => [
    title,
    ...entries.map(
      (entry) =>
        `  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.ms.toFixed(0).padStart(7)} ms  ${entry.name}`,
    ),
  ];
  return [
    `busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (shares are of busy time)`,
    ...section('Top functions by self time:', summary.bySelfTime),
    ...section('Self time by package / file:', summary.byFile),
    ...section('Service functions by inclusive time (self + callees):', summary.serviceInclusive),
  ].join('\n');
}

if (import.meta.main) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('usage: node bench/summarize-profile.ts <file.cpuprofile> [top=20]\n');
    process.exit(2);
  }
  const callersFlag = process.argv.indexOf('--callers');
  if (callersFlag > 0) {
    const leaf = process.argv[callersFlag + 1] ?? '';
    const entries = callersOf(loadProfile(path), leaf);
    for (const entry of entries) {
      process.stdout.write(`${(entry.share * 100).toFixed(1).padStart(5)}% of ${leaf}  ${entry.name}\n`);
    }
  } else {
    const summary = summarizeProfile(loadProfile(path), Number(process.argv[3] ?? 20));
    process.stdout.write(`${formatProfileSummary(summary)}\n`);
  }
}
