import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reading callgrind's dumps. `bench:instructions` runs the service under
 * `valgrind --tool=callgrind --separate-threads=yes`, which writes one file per thread for every dump
 * it is asked for; each file names the dump's trigger and holds the instructions executed (`Ir`).
 */

export interface ThreadInstructions {
  /** valgrind's thread number: 1 is the main thread (the event loop). */
  thread: number;
  instructions: number;
}

/** The thread and instruction total of one dump file, and the trigger that wrote it. */
export function parseDump(text: string): { trigger: string; thread: number; instructions: number } {
  const trigger = /^desc: Trigger: (.*)$/m.exec(text)?.[1]?.trim();
  const thread = /^thread: (\d+)$/m.exec(text)?.[1];
  const totals = /^totals: (\d+)/m.exec(text)?.[1] ?? /^summary: (\d+)/m.exec(text)?.[1];
  if (trigger === undefined || totals === undefined) throw new Error('not a callgrind dump with totals');
  // Without --separate-threads the file has no thread line: it is the whole process, counted as 1.
  return { trigger, thread: thread === undefined ? 1 : Number(thread), instructions: Number(totals) };
}

/** Every thread's instructions in the dump `label` (the text given to `callgrind_control --dump`). */
export function readDump(directory: string, label: string): ThreadInstructions[] {
  const threads: ThreadInstructions[] = [];
  for (const name of readdirSync(directory)) {
    let dump: ReturnType<typeof parseDump>;
    try {
      dump = parseDump(readFileSync(join(directory, name), 'utf8'));
    } catch {
      continue; // the final dump at exit, or a file still being written
    }
    if (dump.trigger === `dump ${label}`)
      threads.push({ thread: dump.thread, instructions: dump.instructions });
  }
  return threads.sort((a, b) => a.thread - b.thread);
}

/** Main thread and the rest, per request. */
export function perRequest(
  threads: readonly ThreadInstructions[],
  requests: number,
): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const { thread, instructions } of threads) {
    if (thread === 1) main += instructions;
    else others += instructions;
  }
  return { main: main / requests, others: others / requests };
}
