import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDump, perRequest, readDump } from './callgrind.ts';

/** The head of a real dump, as callgrind 3.19 writes it with --separate-threads=yes. */
const dump = (trigger: string, thread: number, totals: number) => `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 29936
cmd:  node server.ts
part: 2
thread: ${thread}

desc: I1 cache: 
desc: Timerange: Basic block 1801894126 - 1901894126
desc: Trigger: ${trigger}

positions: line
events: Ir
summary: ${totals}

fl=(1) ???
fn=(1) 0x0000000000108090
0 12

totals: ${totals}
`;

describe('callgrind dumps', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('reads the trigger, the thread and the total', () => {
    expect(parseDump(dump('dump hit-2', 12, 98_765))).toEqual({
      trigger: 'dump hit-2',
      thread: 12,
      instructions: 98_765,
    });
  });

  it('refuses a file that is not a dump', () => {
    expect(() => parseDump('positions: line\n')).toThrow(/not a callgrind dump/);
  });

  it('collects one label across the thread files and leaves other dumps out', () => {
    directory = mkdtempSync(join(tmpdir(), 'callgrind-test-'));
    writeFileSync(join(directory, 'cg.1.1-01'), dump('dump round-1', 1, 500_000));
    writeFileSync(join(directory, 'cg.1.1-12'), dump('dump round-1', 12, 200_000));
    writeFileSync(join(directory, 'cg.1.1-03'), dump('dump round-1', 3, 100_000));
    writeFileSync(join(directory, 'cg.1.2-01'), dump('dump round-2', 1, 900_000));
    writeFileSync(join(directory, 'cg.1'), 'still being written');
    const threads = readDump(directory, 'round-1');
    expect(threads.map((thread) => thread.thread)).toEqual([1, 3, 12]);
    expect(perRequest(threads, 100)).toEqual({ main: 5_000, others: 3_000 });
  });
});
