/**
 * `npm run bench`: starts the service (embedded mode, or with a private Redis under --redis), a fake
 * OpenAI-compatible provider and a bare Fastify baseline on 127.0.0.1, drives each scenario with
 * autocannon in a separate process, prints one table and writes bench/results/latest.json.
 *
 *   node bench/run.ts [--duration 10] [--warmup 3] [--redis] [--profile] [--soak [--soak-minutes 5]]
 *                     [--only baseline,floors,hit,miss,slow,batch,stream,peer] [--pairs 6]
 *                     [--pair-seconds 3] [--latency-pairs 3] [--peer-rounds 3] [--peer-seconds 5]
 *
 * Everything runs on the same machine: the load generator and the fake provider compete with the
 * service for the CPU cores, and the figures include that contention.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { batchScenario, soakScenario } from './lib/batch-and-soak.ts';
import {
  type FakeProvider,
  memorySplit,
  repoRoot,
  type Service,
  startBaseline,
  startFakeProvider,
  startRedis,
  startService,
} from './lib/bench-stack.ts';
import { killAllChildrenNow, residentMegabytes, stopAllChildren, stopChild } from './lib/child-processes.ts';
import { formatPairedLatency, type PairedLatency, pairedLatency } from './lib/paired-latency.ts';
import { formatPairedRatio, type PairedRatio, pairedHitRatio } from './lib/paired-ratio.ts';
import { type Peer, runInPrivateNetwork, startPeer } from './lib/peer.ts';
import { peerComparison, realisticMissLoad } from './lib/peer-comparison.ts';
import { formatCompared, formatRatio, type PeerComparison, peerGoals } from './lib/peer-report.ts';
import {
  addedLatency,
  type BenchResults,
  checkFloors,
  formatBatch,
  formatFloors,
  formatOverhead,
  formatTable,
  stealWarnings,
} from './lib/report.ts';
import {
  baselineScenario,
  cacheHitScenario,
  cacheMissScenario,
  type LoadRow,
  proxyFloorScenario,
  type Timing,
} from './lib/scenarios.ts';
import { formatStreaming, streamingScenario } from './streaming.ts';
import { formatProfileSummary, loadProfile, summarizeProfile } from './summarize-profile.ts';

const slowProviderMs = 200;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    redis: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '5' },
    only: { type: 'string' },
    // The hit floor's alternating windows (ADR 0021); 0 leaves them out.
    pairs: { type: 'string', default: '6' },
    'pair-seconds': { type: 'string', default: '3' },
    // The 200 ms floors' alternating windows (ADR 0022); 1 is the table's pair alone.
    'latency-pairs': { type: 'string', default: '3' },
    // The realistic scenarios beside the peer, in interleaved rounds of windows.
    'peer-rounds': { type: 'string', default: '3' },
    'peer-seconds': { type: 'string', default: '5' },
  },
});
const scenarioNames = ['baseline', 'floors', 'hit', 'miss', 'slow', 'batch', 'stream', 'peer'] as const;
// `--only hit,miss`: a quick loop while working on one path; a full run is the reference.
const only = new Set(flags.only?.split(',').map((name) => name.trim()) ?? scenarioNames);
const unknownScenarios = [...only].filter((name) => !(scenarioNames as readonly string[]).includes(name));
if (unknownScenarios.length > 0) {
  process.stderr.write(`--only takes ${scenarioNames.join(', ')}; unknown: ${unknownScenarios.join(', ')}\n`);
  process.exit(2);
}
const timing: Timing = { durationSeconds: Number(flags.duration), warmupSeconds: Number(flags.warmup) };
const soakMinutes = Number(flags['soak-minutes']);
const pairTiming = {
  pairs: Number(flags.pairs),
  windowSeconds: Number(flags['pair-seconds']),
  warmupSeconds: 1,
};
const latencyPairs = Number(flags['latency-pairs']);
if (
  !(timing.durationSeconds > 0 && timing.warmupSeconds >= 0 && soakMinutes > 0) ||
  !(Number.isInteger(pairTiming.pairs) && pairTiming.pairs >= 0 && pairTiming.windowSeconds > 0) ||
  !(Number.isInteger(latencyPairs) && latencyPairs >= 1)
) {
  process.stderr.write(
    '--duration, --warmup, --soak-minutes and --pair-seconds must be positive numbers; --pairs a whole number; --latency-pairs a whole number from 1\n',
  );
  process.exit(2);
}

const peerTiming = {
  rounds: Number(flags['peer-rounds']),
  windowSeconds: Number(flags['peer-seconds']),
  warmupSeconds: 2,
};
// The peer listens on every interface: the run moves into a network namespace of its own first.
let peerUnavailable: string | undefined;
if (only.has('peer')) {
  const outcome = runInPrivateNetwork(process.argv.slice(1));
  if (outcome.kind === 'ran') process.exit(outcome.exitCode);
  if (outcome.kind === 'unavailable') peerUnavailable = `no private network namespace (${outcome.reason})`;
}

// SQLite files of the services started by this run; removed at the end, also after Ctrl-C.
const dataDir = mkdtempSync(join(tmpdir(), 'sps-bench-'));

// Children must never outlive the harness: stop them on Ctrl-C, kill them on any other way out.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the benchmark's processes…\n`);
    void stopAllChildren().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}
process.once('exit', () => {
  killAllChildrenNow();
  rmSync(dataDir, { recursive: true, force: true });
});

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function environment(): Record<string, string | number> {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    // Figures from uncommitted code cannot be reproduced from the commit alone: say so.
    const changes = execFileSync('git', ['status', '--porcelain', '--', 'packages'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (changes.trim() !== '') commit += ' + uncommitted changes in packages/';
  } catch {
    // not a git checkout: leave it unknown
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    commit,
    // Other work on the machine skews every figure: recorded so noisy runs can be recognised.
    loadAverage1mAtStart: Math.round(loadAtStart * 100) / 100,
  };
}

/**
 * Runs one scenario against a fresh service started under --cpu-prof (separate from the measured
 * run: profiling slows the service down) and summarizes where its CPU time went.
 */
async function profileScenario(
  scenario: 'cache-hit' | 'cache-miss' | 'realistic-miss',
  dataDir: string,
  fake: FakeProvider,
  redisUrl?: string,
): Promise<unknown> {
  const profileDir = join(dataDir, `profile-${scenario}`);
  const service = await startService({
    dataDir: join(dataDir, `profiled-${scenario}`),
    providerBaseUrl: fake.baseUrl,
    redisUrl,
    cpuProfileDir: profileDir,
  });
  log(`profiling ${scenario} under --cpu-prof…`);
  let windowStartMs = 0;
  let windowEndMs = Number.POSITIVE_INFINITY;
  const profiled: Timing = {
    ...timing,
    onWindow: (startEpochMs, endEpochMs) => {
      // The profile's clock starts about when the process was spawned.
      const spawnedEpochMs = performance.timeOrigin + service.child.spawnedAt;
      windowStartMs = startEpochMs - spawnedEpochMs;
      windowEndMs = endEpochMs - spawnedEpochMs;
    },
  };
  const options = { delayMs: 0, connections: 64, label: scenario, tag: 'prof' };
  if (scenario === 'cache-hit') await cacheHitScenario(service, profiled);
  else if (scenario === 'realistic-miss') await realisticMissLoad(service, profiled);
  else await cacheMissScenario(service, fake, profiled, options);
  // The profile is written when the process exits, so stop it gracefully first.
  await stopChild(service.child, 30_000);
  const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('the profiled service wrote no .cpuprofile');
  const kept = join('bench', 'results', `service-${scenario}.cpuprofile`);
  copyFileSync(join(profileDir, file), join(repoRoot, kept));
  // Only the measured window: start-up (module loading) and the warm-up would blur the shares.
  const window = { fromMs: windowStartMs, toMs: windowEndMs };
  const summary = summarizeProfile(loadProfile(join(repoRoot, kept)), 20, window);
  log(`\nCPU profile of the service under ${scenario} (${kept}, measured window only):`);
  log(formatProfileSummary(summary));
  return { file: kept, ...summary };
}

function redisCli(port: number, command: string): string {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), command], {
    encoding: 'utf8',
  }).trim();
}

const loadAtStart = loadavg()[0] ?? 0;

function peerVersion(): string {
  const manifest = join(repoRoot, 'node_modules', '@portkey-ai', 'gateway', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? '?';
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  try {
    const fake = await startFakeProvider();
    const baseline = await startBaseline(fake.baseUrl);
    const redis = flags.redis ? await startRedis() : undefined;
    const redisUrl = redis ? `redis://127.0.0.1:${redis.port}` : undefined;
    const service: Service = await startService({ dataDir, providerBaseUrl: fake.baseUrl, redisUrl });
    // Let start-up work (JIT, lazy imports, first GC) settle before reading the idle figure.
    await sleep(2000);
    const idleRssMb = residentMegabytes(service.child.pid);
    const idleMemory = await memorySplit(service);
    log(`service on ${service.baseUrl} (pid ${service.child.pid}), idle RSS ${idleRssMb.toFixed(1)} MB`);
    let peer: Peer | undefined;
    let peerIdleRssMb = Number.NaN;
    if (only.has('peer') && !peerUnavailable) {
      peer = await startPeer(fake.baseUrl);
      await sleep(2000);
      peerIdleRssMb = residentMegabytes(peer.child.pid);
      log(`peer on ${peer.baseUrl} (pid ${peer.child.pid}), idle RSS ${peerIdleRssMb.toFixed(1)} MB`);
    }

    const rows: LoadRow[] = [];
    if (only.has('baseline')) {
      log('1/5 baseline…');
      rows.push(await baselineScenario(baseline, timing));
    }
    const floors: LoadRow[] = [];
    if (only.has('floors')) {
      log('1b/5 bare proxy floors: provider 0 ms (64 connections) and 200 ms (256 connections)…');
      floors.push(await proxyFloorScenario(baseline, fake, timing, { delayMs: 0, connections: 64 }));
      floors.push(
        await proxyFloorScenario(baseline, fake, timing, { delayMs: slowProviderMs, connections: 256 }),
      );
    }
    let pairedHit: PairedRatio | undefined;
    if (only.has('hit')) {
      log('2/5 cache hit…');
      rows.push(await cacheHitScenario(service, timing));
      if (pairTiming.pairs > 0) {
        log(`2b/5 cache hit and baseline in ${pairTiming.pairs} alternating pairs of windows…`);
        pairedHit = await pairedHitRatio(baseline, service, pairTiming);
      }
    }
    await stopChild(baseline);
    let miss: LoadRow | undefined;
    if (only.has('miss')) {
      log('3/5 cache miss, fast provider…');
      miss = await cacheMissScenario(service, fake, timing, {
        delayMs: 0,
        connections: 64,
        label: 'cache miss, provider 0 ms',
        tag: 'miss',
      });
      rows.push(miss);
    }
    let slow: LoadRow | undefined;
    let direct: LoadRow | undefined;
    let pairedSlow: PairedLatency | undefined;
    if (only.has('slow')) {
      log(
        `4/5 provider ${slowProviderMs} ms, 256 connections: straight to the provider and through the service, in ${latencyPairs} alternating pair(s) of windows…`,
      );
      const measuredPairs = await pairedLatency(fake, service, timing, {
        pairs: latencyPairs,
        delayMs: slowProviderMs,
        connections: 256,
      });
      ({ direct, service: slow } = measuredPairs.first);
      pairedSlow = measuredPairs.paired;
      rows.push(slow, direct);
    }
    rows.push(...floors);
    const floor = floors[1];
    let batch: Awaited<ReturnType<typeof batchScenario>> | undefined;
    if (only.has('batch')) {
      log('5/5 one batch request vs one by one…');
      batch = await batchScenario(service, fake, slowProviderMs);
    }
    const compared: PeerComparison | undefined = peer
      ? await peerComparison(
          { service, peer, fake },
          peerTiming,
          { ours: idleRssMb, peer: peerIdleRssMb },
          log,
        )
      : undefined;
    if (peer) await stopChild(peer.child);
    const peerChecks = compared ? peerGoals(compared) : undefined;
    if (flags.soak) log(`soak: ${soakMinutes} min of scenario 3…`);
    const soak = flags.soak ? await soakScenario(service, fake, soakMinutes) : undefined;
    await stopChild(service.child, 30_000);
    // Proof that the L2 was really used: the private Redis holds the service's cache entries.
    const redisKeys = redis ? Number(redisCli(redis.port, 'dbsize')) : undefined;
    // A service of its own in front of a streaming fake provider (bench/streaming.ts).
    const streaming = only.has('stream') ? await streamingScenario(join(dataDir, 'stream')) : undefined;

    mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
    const profile = flags.profile
      ? {
          cacheHit: await profileScenario('cache-hit', dataDir, fake, redisUrl),
          cacheMiss: await profileScenario('cache-miss', dataDir, fake, redisUrl),
          realisticMiss: await profileScenario('realistic-miss', dataDir, fake, redisUrl),
        }
      : undefined;

    const partial: Omit<BenchResults, 'floors'> = {
      startedAt,
      environment: { ...environment(), redis: redis ? `yes (${redisKeys} keys after the run)` : 'no' },
      options: {
        ...timing,
        redis: flags.redis,
        soak: flags.soak ? soakMinutes : false,
        providerDelayMs: slowProviderMs,
        latencyPairs,
      },
      rows,
      batch,
      pairedHit,
      pairedSlow,
      memory: { idleRssMb, idleMemory, peakRssDuringCacheMissMb: miss?.peakRssMb, soak },
      profile,
    };
    const results: BenchResults = { ...partial, floors: checkFloors(partial, slowProviderMs) };
    const baselineRps = rows.find((row) => row.scenario.startsWith('baseline'))?.requestsPerSecond ?? 0;
    const overhead = (row: LoadRow | undefined, name: string) =>
      row ? `${name} ${formatOverhead(addedLatency(row, direct, slowProviderMs))}` : `${name}: not run`;
    const lines = [
      '',
      `Structured Prompt Service benchmark — ${startedAt}, ${timing.durationSeconds} s per scenario after ${timing.warmupSeconds} s warm-up, ${flags.redis ? 'L1 + Redis L2' : 'embedded (L1 only)'}`,
      ...(loadAtStart > 0.5
        ? [
            `warning: load average was ${loadAtStart.toFixed(2)} at start — other work on the machine, figures are noisy`,
          ]
        : []),
      formatTable(rows, baselineRps),
      ...(pairedHit ? [formatPairedRatio(pairedHit)] : []),
      `overhead at ${slowProviderMs} ms provider, table's windows: ${overhead(slow, 'service')} (${overhead(floor, 'bare proxy floor')})`,
      ...(pairedSlow ? [formatPairedLatency(pairedSlow)] : []),
      ...stealWarnings(rows, pairedSlow),
      `memory: idle RSS ${idleRssMb.toFixed(1)} MB (JS heap used ${idleMemory?.heapUsedMb ?? '?'} MB of ${idleMemory?.heapTotalMb ?? '?'} MB), peak during cache miss ${miss?.peakRssMb?.toFixed(1) ?? '(not run)'} MB${soak ? `, soak RSS ${soak.rssAtOneMinuteMb.toFixed(1)} MB at 1 min → ${soak.rssAtEndMb.toFixed(1)} MB at ${soakMinutes} min (JS heap after full GC ${soak.heapAtOneMinute?.heapUsedMb ?? '?'} → ${soak.heapAtEnd?.heapUsedMb ?? '?'} MB)` : ''}`,
      ...(batch ? [formatBatch(batch)] : []),
      ...(streaming ? [formatStreaming(streaming)] : []),
      'Floors (and the batch and soak checks):',
      formatFloors(results.floors),
      ...(compared && peerChecks
        ? [
            '',
            `Beside the peer (Portkey gateway ${peerVersion()}), same fake provider, windows interleaved:`,
            formatCompared(compared.realistic),
            formatCompared(compared.slow),
            formatCompared(compared.inFlight),
            `idle RSS: ours ${compared.idleRssMb.ours.toFixed(1)} MB, peer ${compared.idleRssMb.peer.toFixed(1)} MB`,
            ...Object.entries(peerChecks.ratios).map(
              ([name, ratio]) => `ratio ${name}: ${formatRatio(ratio)}`,
            ),
            'Goals beside the peer:',
            formatFloors(peerChecks.checks),
          ]
        : only.has('peer')
          ? [`peer comparison not run: ${peerUnavailable ?? 'unknown reason'}`]
          : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    // A partial run must not replace the full reference run's file.
    const complete = scenarioNames.every((name) => only.has(name));
    const file = join(repoRoot, 'bench', 'results', complete ? 'latest.json' : 'partial.json');
    const written = compared ? { ...results, peer: { ...compared, goals: peerChecks } } : results;
    writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`);
    log(`\nwrote ${file}`);
  } finally {
    await stopAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  if (!interrupted) {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
