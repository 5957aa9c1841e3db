/**
 * `npm run bench:instructions -- [--base <git ref>]`: instructions per request of the service, counted
 * by valgrind's callgrind, for this working tree and optionally an older commit (ADR 0023).
 *
 *   node bench/instructions.ts [--base HEAD~1] [--scenarios hit,miss] [--rounds 3]
 *                              [--requests 2000] [--warmup 20000] [--connections 8] [--keep]
 *   INSTRUCTIONS_NODE_FLAGS='--max-semi-space-size=8' node bench/instructions.ts …   (both versions)
 *
 * Each version runs once per scenario under `valgrind --tool=callgrind --instr-atstart=no`: it
 * starts, is warmed with `--warmup` requests while valgrind counts nothing, and then, per round,
 * `callgrind_control` switches counting on for `--requests` requests and dumps the counts. The main
 * thread's instructions per request is the figure; the other threads (V8's compilers and collector,
 * the request-log thread) are shown beside it. `--keep` keeps the dumps for `callgrind_annotate`,
 * which names V8's builtins and runtime functions and Node's C++ (JIT code shows as addresses).
 *
 * Why: on the shared 2-vCPU hosts CPU time per request drifts by 5–25% within minutes, so even
 * paired runs (`bench:compare`) cannot settle a 2–3% change. Instructions do not depend on what else
 * the machine runs. Calibrated with the same commit: cache hits read 1.001 against each other, each
 * process's rounds within 1%, and five processes within 2.4% of each other (Intel host); with the
 * collector on the main thread, 1.006 and 1.007 and four processes within 0.7% (AMD host). Cache
 * misses read 0.932 and 0.965, because every miss grows the cache and the log, and a process's rounds
 * drift by 5–7%.
 * So this judges hit-path changes. Instructions
 * are not time (cache misses, system calls and the kernel's share do not count): they judge changes
 * to our own code, and `npm run bench` still judges the targets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkOutBase } from './lib/base-worktree.ts';
import { analyzeOnce, repoRoot, type Service, startFakeProvider, startService } from './lib/bench-stack.ts';
import { perRequest, readDump } from './lib/callgrind.ts';
import { stopAllChildren, stopChild } from './lib/child-processes.ts';
import { median } from './lib/paired-ratio.ts';
import { analyzeBody, basePrompt } from './lib/scenarios.ts';

const { values: flags } = parseArgs({
  options: {
    base: { type: 'string' },
    scenarios: { type: 'string', default: 'hit,miss' },
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
  },
});
const scenarios = (flags.scenarios ?? '').split(',').filter(Boolean);
const counts = [flags.rounds, flags.requests, flags.warmup, flags.connections].map(Number);
if (
  scenarios.length === 0 ||
  scenarios.some((name) => name !== 'hit' && name !== 'miss') ||
  counts.some((count) => !Number.isInteger(count) || count < 1)
) {
  process.stderr.write(
    'usage: node bench/instructions.ts [--base <git ref>] [--scenarios hit,miss] [--rounds 3] ' +
      '[--requests 2000] [--warmup 20000] [--connections 8] [--keep]\n',
  );
  process.exit(2);
}
const [rounds, requests, warmup, connections] = counts as [number, number, number, number];

for (const tool of ['valgrind', 'callgrind_control']) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    process.stderr.write(`${tool} is not on the PATH: install valgrind (Debian: apt-get install valgrind)\n`);
    process.exit(2);
  }
}

interface Version {
  label: string;
  root: string;
}

const stamp = Date.now().toString(36);
let sent = 0;

/** `count` analyze requests over `connections` concurrent keep-alive connections; all must be 2xx. */
async function drive(service: Service, scenario: string, count: number): Promise<void> {
  let left = count;
  const worker = async () => {
    while (left > 0) {
      left--;
      sent++;
      const prompt = scenario === 'miss' ? `${basePrompt} (${stamp}-${sent})` : basePrompt;
      const response = await fetch(`${service.baseUrl}/v1/analyze`, {
        method: 'POST',
        headers: { 'x-api-key': service.userKey, 'content-type': 'application/json' },
        body: JSON.stringify(analyzeBody(prompt)),
      });
      const answer = (await response.json()) as { cached?: boolean };
      if (!response.ok) throw new Error(`${scenario}: HTTP ${response.status}: ${JSON.stringify(answer)}`);
      if (answer.cached !== (scenario === 'hit'))
        throw new Error(`${scenario}: answered cached=${answer.cached}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

/** `callgrind_control` finds the process through a pipe named after its HOST and USER variables. */
function control(service: Service, ...args: string[]): void {
  execFileSync('callgrind_control', [...args, String(service.child.pid)], {
    env: { ...process.env, HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
}

interface Measured {
  main: number[];
  others: number[];
}

async function measure(version: Version, scenario: string, providerBaseUrl: string): Promise<Measured> {
  const scratch = mkdtempSync(join(tmpdir(), 'sps-instructions-'));
  const service = await startService({
    dataDir: join(scratch, 'data'),
    providerBaseUrl,
    root: version.root,
    name: `service ${version.label} under callgrind`,
    // Fixed seeds: every process hashes strings and lays out its tables alike (ADR 0023). The
    // collector on the main thread only: how much marking the main thread did itself depended on when
    // the helper threads ran, and processes of one commit differed by up to 10% on the AMD host.
    nodeFlags: [
      '--hash-seed=1',
      '--random-seed=1',
      '--single-threaded-gc',
      ...(process.env.INSTRUCTIONS_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ],
    // The service's own HOST (127.0.0.1) names valgrind's control pipe; see `control`.
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      `--callgrind-out-file=${join(scratch, 'cg.%p')}`,
    ],
    startTimeoutMs: 300_000,
  });
  // The first answer fills the cache; every request after it is a hit.
  if (scenario === 'hit') await analyzeOnce(service, basePrompt);
  await drive(service, scenario, warmup);
  const measured: Measured = { main: [], others: [] };
  for (let round = 1; round <= rounds; round++) {
    const label = `${scenario}-${round}`;
    control(service, '--instr=on');
    await drive(service, scenario, requests);
    control(service, '--instr=off');
    control(service, `--dump=${label}`);
    const threads = readDump(scratch, label);
    if (threads.length === 0) throw new Error(`callgrind wrote no dump named ${label} in ${scratch}`);
    const { main, others } = perRequest(threads, requests);
    measured.main.push(main);
    measured.others.push(others);
    process.stdout.write(
      `${version.label.padEnd(14)} ${scenario.padEnd(4)} round ${round}: main thread ${thousands(main)} ` +
        `instructions per request, other threads ${thousands(others)}\n`,
    );
  }
  await stopChild(service.child, 60_000);
  if (flags.keep) process.stdout.write(`callgrind dumps of ${version.label}, ${scenario}: ${scratch}\n`);
  else rmSync(scratch, { recursive: true, force: true });
  return measured;
}

const thousands = (value: number) => `${(value / 1000).toFixed(1)}k`;

async function main(): Promise<void> {
  const versions: Version[] = [];
  if (flags.base) {
    const base = checkOutBase(flags.base, 'sps-instructions-');
    versions.push({ label: `base ${base.commit}`, root: base.root });
  }
  versions.push({ label: 'working tree', root: repoRoot });
  const fake = await startFakeProvider();
  const results = new Map<string, Measured>();
  for (const scenario of scenarios)
    for (const version of versions)
      results.set(`${version.label}/${scenario}`, await measure(version, scenario, fake.baseUrl));

  process.stdout.write('\nInstructions per request (callgrind), medians of the rounds:\n');
  for (const scenario of scenarios) {
    const line = versions.map((version) => {
      const measured = results.get(`${version.label}/${scenario}`)!;
      const spread = (Math.max(...measured.main) / Math.min(...measured.main) - 1) * 100;
      return (
        `${version.label}: main ${thousands(median(measured.main))} (rounds within ${spread.toFixed(1)}%), ` +
        `others ${thousands(median(measured.others))}`
      );
    });
    process.stdout.write(`  ${scenario}: ${line.join(' | ')}\n`);
    if (versions.length === 2) {
      const [base, current] = versions.map((version) => results.get(`${version.label}/${scenario}`)!);
      const ratio = median(current!.main) / median(base!.main);
      process.stdout.write(`  ${scenario}: main thread, working tree / base: ${ratio.toFixed(3)}\n`);
    }
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench:instructions failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
}
