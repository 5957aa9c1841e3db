/**
 * `npm run bench:compare -- --base <git ref>`: CPU per request of two versions of the service, loaded
 * at the same time so that whatever else the machine does hits both alike.
 *
 *   node bench/compare.ts --base HEAD~2 [--rounds 3] [--scenarios hit,miss] [--duration 8]
 *   COMPARE_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/profiles/{label}' node bench/compare.ts …
 *
 * The base version is checked out in a temporary git worktree (sharing this checkout's
 * node_modules); the other one is this working tree, uncommitted changes included. Each round starts
 * both services afresh, warms them with cache misses, then runs every scenario against both at once
 * (64 connections each, the fake provider answering at once) and reads each service's CPU time over
 * the window. Only CPU per request is comparable this way: with two services and two load
 * generators on two cores, latencies and req/s say more about the crowding than about the code.
 *
 * Why: on a shared 2-vCPU host the same code measures up to 25% apart from one run to the next, so
 * two `npm run bench` runs minutes apart cannot show a 5% change; a paired run can.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkOutBase } from './lib/base-worktree.ts';
import { analyzeOnce, repoRoot, type Service, startFakeProvider, startService } from './lib/bench-stack.ts';
import { stopAllChildren, stopChild } from './lib/child-processes.ts';
import { analyzeBody, basePrompt, runLoad } from './lib/scenarios.ts';

const { values: flags } = parseArgs({
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    scenarios: { type: 'string', default: 'hit,miss' },
    duration: { type: 'string', default: '8' },
  },
});
const scenarios = (flags.scenarios ?? '').split(',').filter(Boolean);
if (!flags.base || scenarios.some((name) => name !== 'hit' && name !== 'miss')) {
  process.stderr.write('usage: node bench/compare.ts --base <git ref> [--rounds 3] [--scenarios hit,miss]\n');
  process.exit(2);
}
const rounds = Number(flags.rounds);
const durationSeconds = Number(flags.duration);

const { commit, root: baseTree, workDir } = checkOutBase(flags.base, 'sps-compare-');

interface Version {
  label: string;
  root: string;
}

/**
 * Extra Node flags for both services (`COMPARE_NODE_FLAGS`), `{label}` replaced per version, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/profiles/{label}` to profile both sides of the same load.
 */
function nodeFlagsFor(version: Version): string[] {
  const label = version.label.replace(/\W+/g, '-');
  return (process.env.COMPARE_NODE_FLAGS ?? '')
    .split(' ')
    .filter(Boolean)
    .map((flag) => flag.replaceAll('{label}', label));
}

function startVersion(version: Version, round: number, providerBaseUrl: string): Promise<Service> {
  const dataDir = join(workDir, `${version.label.replace(/\W+/g, '-')}-${round}`);
  return startService({
    dataDir,
    providerBaseUrl,
    root: version.root,
    nodeFlags: nodeFlagsFor(version),
    name: `service ${version.label}`,
  });
}

/** One scenario against one service; `distinct` makes every prompt new (a miss). */
async function load(service: Service, seconds: number, distinct?: string) {
  const summary = await runLoad({
    url: `${service.baseUrl}/v1/analyze`,
    connections: 64,
    durationSeconds: seconds,
    warmupSeconds: 2,
    cpuPid: service.child.pid,
    headers: { 'x-api-key': service.userKey },
    body: analyzeBody(basePrompt),
    ...(distinct ? { distinctPrefix: distinct } : {}),
  });
  if (summary.non2xx > 0 || summary.errors > 0) throw new Error(`${summary.non2xx} non-2xx answers`);
  return {
    all: (summary.cpuMs ?? Number.NaN) / summary.completed,
    main: (summary.mainThreadCpuMs ?? Number.NaN) / summary.completed,
  };
}

async function main(): Promise<void> {
  const versions: Version[] = [
    { label: `base ${commit}`, root: baseTree },
    { label: 'working tree', root: repoRoot },
  ];
  const fake = await startFakeProvider();
  const results = new Map<string, number[]>();
  const stamp = Date.now().toString(36);
  for (let round = 1; round <= rounds; round++) {
    const [base, current] = await Promise.all(
      versions.map((version) => startVersion(version, round, fake.baseUrl)),
    );
    if (!base || !current) throw new Error('a service did not start');
    await Promise.all([
      load(base, 4, `warm-a-${stamp}-${round}`),
      load(current, 4, `warm-b-${stamp}-${round}`),
    ]);
    for (const scenario of scenarios) {
      if (scenario === 'hit') {
        // One answer each, so every measured request is a cache hit.
        for (const service of [base, current])
          for (let index = 0; index < 2; index++) await analyzeOnce(service, basePrompt);
      }
      const tag = scenario === 'miss' ? `${scenario}-${stamp}-${round}` : undefined;
      const [a, b] = await Promise.all([
        load(base, durationSeconds, tag && `${tag}-a`),
        load(current, durationSeconds, tag && `${tag}-b`),
      ]);
      const ratio = b.all / a.all;
      results.set(scenario, [...(results.get(scenario) ?? []), ratio]);
      process.stdout.write(
        `round ${round} ${scenario.padEnd(4)}: base ${a.all.toFixed(3)} ms (main ${a.main.toFixed(3)}) | ` +
          `working tree ${b.all.toFixed(3)} ms (main ${b.main.toFixed(3)}) | ratio ${ratio.toFixed(3)}\n`,
      );
    }
    await Promise.all([stopChild(base.child), stopChild(current.child)]);
  }
  for (const [scenario, ratios] of results) {
    const sorted = [...ratios].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    process.stdout.write(
      `${scenario}: CPU per request, working tree / base ${commit}: median ${median.toFixed(3)} ` +
        `(rounds: ${ratios.map((ratio) => ratio.toFixed(3)).join(', ')})\n`,
    );
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`compare failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
}
