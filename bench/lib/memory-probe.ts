/**
 * Preloaded into the service (`node --import bench/lib/memory-probe.ts …`) by the harness only: on
 * SIGWINCH it prints the process's memory split (JS heap vs the rest) on stderr, so an RSS figure can
 * be explained without attaching a debugger. SIGWINCH because it is ignored by default, while
 * SIGUSR1 starts the inspector and close-with-grace shuts down on SIGUSR2.
 */
import { getHeapSpaceStatistics } from 'node:v8';

const megabytes = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

process.on('SIGWINCH', () => {
  // With --expose-gc (the harness passes it), measure live objects only: a heap that is merely
  // not collected yet and one that leaks look the same in RSS, not after a full collection.
  const collected = typeof globalThis.gc === 'function';
  if (collected) globalThis.gc?.();
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((space) => [space.space_name, megabytes(space.space_used_size)]),
  );
  const report = {
    afterFullGc: collected,
    rssMb: megabytes(usage.rss),
    heapTotalMb: megabytes(usage.heapTotal),
    heapUsedMb: megabytes(usage.heapUsed),
    externalMb: megabytes(usage.external),
    arrayBuffersMb: megabytes(usage.arrayBuffers),
    spaces,
  };
  process.stderr.write(`bench-memory-probe ${JSON.stringify(report)}\n`);
});
