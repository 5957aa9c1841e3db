/**
 * Preload for experiments (`BENCH_NODE_FLAGS='--import ./bench/lib/gc-trace.ts' npm run bench -- --only slow`):
 * appends one line per garbage collection of the service to `$GC_TRACE_FILE` (default
 * `/tmp/sps-gc-<pid>.log`), from `v8.GCProfiler`: the kind, its cost, and the young and old
 * generations' used bytes before and after. That is how ADR 0026 was found: what survives a scavenge
 * and what it promotes, which `--trace-gc` prints to a stdout the harness does not keep.
 *
 * At exit, one summary line over the scavenges that ran at the young generation's largest size (the
 * steady state under load): their count, mean pause, survivors and promoted bytes.
 */
import { appendFileSync } from 'node:fs';
import { GCProfiler, type GCProfilerResult } from 'node:v8';

type GcStatistics = GCProfilerResult['statistics'][number];

interface Scavenge {
  capacity: number;
  pauseMs: number;
  survivors: number;
  promoted: number;
}

const file = process.env.GC_TRACE_FILE ?? `/tmp/sps-gc-${process.pid}.log`;
const megabytes = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);
const scavenges: Scavenge[] = [];
let profiler = new GCProfiler();
profiler.start();

function space(gc: GcStatistics, when: 'beforeGC' | 'afterGC', name: string) {
  const found = gc[when].heapSpaceStatistics.find((entry) => entry.spaceName === name);
  return found ?? { spaceUsedSize: 0, spaceSize: 0 };
}

function drain(): void {
  const result = profiler.stop();
  profiler = new GCProfiler();
  profiler.start();
  const lines: string[] = [];
  const time = new Date().toISOString().slice(11, 19);
  for (const gc of result.statistics) {
    const newBefore = space(gc, 'beforeGC', 'new_space');
    const newAfter = space(gc, 'afterGC', 'new_space');
    const oldBefore = space(gc, 'beforeGC', 'old_space').spaceUsedSize;
    const oldAfter = space(gc, 'afterGC', 'old_space').spaceUsedSize;
    const pauseMs = gc.cost / 1000;
    lines.push(
      `${time} ${gc.gcType} ${pauseMs.toFixed(1)} ms, young ${megabytes(newBefore.spaceUsedSize)} -> ` +
        `${megabytes(newAfter.spaceUsedSize)} MB of ${megabytes(newAfter.spaceSize)}, old ` +
        `${megabytes(oldBefore)} -> ${megabytes(oldAfter)} MB`,
    );
    if (gc.gcType === 'Scavenge') {
      scavenges.push({
        capacity: newAfter.spaceSize,
        pauseMs,
        survivors: newAfter.spaceUsedSize,
        promoted: Math.max(0, oldAfter - oldBefore),
      });
    }
  }
  if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
}

function summary(): string {
  const largest = Math.max(0, ...scavenges.map((scavenge) => scavenge.capacity));
  const steady = scavenges.filter((scavenge) => scavenge.capacity === largest);
  const mean = (pick: (scavenge: Scavenge) => number) =>
    steady.reduce((total, scavenge) => total + pick(scavenge), 0) / Math.max(1, steady.length);
  return (
    `summary: ${steady.length} scavenges at ${megabytes(largest)} MB: mean pause ${mean((s) => s.pauseMs).toFixed(1)} ms, ` +
    `survivors ${megabytes(mean((s) => s.survivors))} MB, promoted ${megabytes(mean((s) => s.promoted))} MB\n`
  );
}

setInterval(drain, 2000).unref();
process.on('exit', () => {
  drain();
  appendFileSync(file, summary());
});
