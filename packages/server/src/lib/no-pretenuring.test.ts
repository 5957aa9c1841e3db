import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { operatorChosePretenuring } from './no-pretenuring.ts';

const modulePath = fileURLToPath(new URL('./no-pretenuring.ts', import.meta.url));

/**
 * A server in miniature: 1,024 "requests" in flight, each holding 100 small objects until 1,024 later
 * ones have started, with garbage in between. Prints how many bytes went into the old generation
 * (promoted by young collections or allocated there directly) and whether the module disabled
 * pretenuring. Bounded by a count, not by time.
 */
const workload = `
import { GCProfiler } from 'node:v8';
const { pretenuringDisabled } = await import(${JSON.stringify(modulePath)});
const profiler = new GCProfiler();
const inFlight = new Array(1024);
function request(i) {
  const held = [];
  for (let j = 0; j < 100; j++) held.push({ i, j, tag: 'r' + i, pair: [i, j] });
  for (let j = 0; j < 200; j++) { const garbage = { j, list: [j, j] }; garbage.self = garbage; }
  return held;
}
profiler.start();
for (let i = 0; i < 60000; i++) inFlight[i % inFlight.length] = request(i);
const { statistics } = profiler.stop();
const old = (gc, when) => gc[when].heapSpaceStatistics.find((space) => space.spaceName === 'old_space').spaceUsedSize;
let added = 0;
let previous;
for (const gc of statistics) {
  if (previous !== undefined) added += Math.max(0, old(gc, 'beforeGC') - previous);
  if (gc.gcType === 'Scavenge') added += Math.max(0, old(gc, 'afterGC') - old(gc, 'beforeGC'));
  previous = old(gc, 'afterGC');
}
process.stdout.write(JSON.stringify({ pretenuringDisabled, oldAddedBytes: added }));
`;

function runWorkload(nodeFlags: string[]): { pretenuringDisabled: boolean; oldAddedBytes: number } {
  // One GC thread: the same collections in the same order on every run.
  const output = execFileSync(
    process.execPath,
    [...nodeFlags, '--single-threaded-gc', '--input-type=module', '-e', workload],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as { pretenuringDisabled: boolean; oldAddedBytes: number };
}

describe('no-pretenuring', () => {
  it('recognises an explicit choice on the node command line, in either spelling', () => {
    expect(operatorChosePretenuring(['--allocation-site-pretenuring'])).toBe(true);
    expect(operatorChosePretenuring(['--max-old-space-size=512', '--no-allocation_site_pretenuring'])).toBe(
      true,
    );
    expect(operatorChosePretenuring([])).toBe(false);
    expect(
      operatorChosePretenuring(['--max-semi-space-size=16', '--allocation-site-pretenuring-extra']),
    ).toBe(false);
  });

  it('keeps requests that outlive a young collection out of the old generation', () => {
    const disabled = runWorkload([]);
    // The operator's explicit flag wins: the module leaves V8's default (pretenuring on) alone.
    const operatorDefault = runWorkload(['--allocation-site-pretenuring']);
    expect(disabled.pretenuringDisabled).toBe(true);
    expect(operatorDefault.pretenuringDisabled).toBe(false);
    // Measured about 22 MB against 700 MB on Node 24: the held objects die young instead of being
    // allocated old and left for a full collection. A tenth leaves room for V8's own variation.
    expect(disabled.oldAddedBytes).toBeLessThan(operatorDefault.oldAddedBytes / 10);
  }, 30_000);
});
