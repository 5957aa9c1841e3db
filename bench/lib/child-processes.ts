import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Child processes of the harness: started with a bounded wait for their "listening" line, tracked
 * in one registry so every one of them is stopped at the end — also after an error or Ctrl-C.
 */

export interface BenchChild {
  name: string;
  process: ChildProcess;
  pid: number;
  port: number;
  /** performance.now() when it was spawned: a profile's clock starts about then. */
  spawnedAt: number;
  /** Everything the child wrote so far (bounded), shown when it fails. */
  output(): string;
}

const running = new Set<BenchChild>();
const stopping = new WeakSet<ChildProcess>();
const outputLimit = 64 * 1024;

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Extracts the port from the child's output once it is listening. */
  readyPattern: RegExp;
  /** Used when the pattern has no capture group (the port was chosen by the harness). */
  port?: number;
  timeoutMs?: number;
  cwd?: string;
}

export async function startChild(options: StartOptions): Promise<BenchChild> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-outputLimit);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  if (child.pid === undefined) throw new Error(`${options.name}: could not spawn ${options.command}`);
  const entry: BenchChild = {
    name: options.name,
    process: child,
    pid: child.pid,
    port: options.port ?? 0,
    spawnedAt: performance.now(),
    output: () => output,
  };
  running.add(entry);
  child.once('exit', (code, signal) => {
    running.delete(entry);
    // An exit the harness did not ask for explains the failures that follow: show why.
    if (!stopping.has(child)) {
      // The first lines say why (later ones tend to repeat one error per refused request).
      const lines = output.split('\n');
      const why = [...lines.slice(0, 15), '…', ...lines.slice(-10)].join('\n').slice(0, 8000);
      process.stderr.write(`${options.name} exited unexpectedly (${signal ?? code}):\n${why}\n`);
    }
  });

  const timeoutMs = options.timeoutMs ?? 30_000;
  entry.port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
    const check = (): void => {
      const match = options.readyPattern.exec(output);
      if (!match) return;
      cleanup();
      resolve(match[1] ? Number(match[1]) : (options.port ?? 0));
    };
    const onExit = (code: number | null): void => fail(`exited early with code ${code}`);
    function fail(reason: string): void {
      cleanup();
      reject(new Error(`${options.name} ${reason}:\n${output.slice(-4000)}`));
    }
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
    }
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });
  return entry;
}

/** SIGTERM (graceful: the service flushes its logs, --cpu-prof writes its file), SIGKILL after a grace period. */
export async function stopChild(child: BenchChild, graceMs = 10_000): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  stopping.add(proc);
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

/** Last-resort cleanup when the harness dies without awaiting: no orphaned servers on the machine. */
export function killAllChildrenNow(): void {
  for (const child of running) {
    stopping.add(child.process);
    child.process.kill('SIGKILL');
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size of a process in MB, from /proc (Linux only, like the whole harness). */
export function residentMegabytes(pid: number): number {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return Number.NaN; // the process is gone; the failure is reported where it is noticed
  }
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

// USER_HZ is 100 on every mainstream Linux build; /proc/<pid>/stat counts in those ticks.
const ticksPerSecond = 100;

/**
 * User + system CPU time the process (all its threads) has used so far, in milliseconds; with `tid`,
 * that one thread's (the main thread's id is the process id).
 */
export function cpuMilliseconds(pid: number, tid?: number): number {
  const stat = readFileSync(
    tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`,
    'utf8',
  );
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** The machine's CPU time so far, in ticks, from the first line of /proc/stat. */
export interface HostTicks {
  /** Every state: user, nice, system, idle, iowait, irq, softirq, steal. */
  total: number;
  /** Time the hypervisor ran something else while this machine's vCPUs wanted to run. */
  steal: number;
}

/** Parses the aggregate `cpu` line of /proc/stat (guest time is already inside user and nice). */
export function parseHostTicks(procStat: string): HostTicks {
  const line = procStat.split('\n', 1)[0] ?? '';
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== 'cpu') throw new Error(`not a /proc/stat cpu line: ${line.slice(0, 60)}`);
  const values = fields.slice(1, 9).map(Number);
  if (values.length < 8 || values.some((value) => !Number.isFinite(value))) {
    throw new Error(`/proc/stat cpu line without the 8 expected counters: ${line.slice(0, 80)}`);
  }
  return { total: values.reduce((sum, value) => sum + value, 0), steal: values[7]! };
}

export function hostTicks(): HostTicks | undefined {
  try {
    return parseHostTicks(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined; // not Linux: the share is left out of the results
  }
}

/** Share of the machine's CPU time the hypervisor took away between two readings (0–1). */
export function stealShare(before: HostTicks, after: HostTicks): number {
  const total = after.total - before.total;
  return total > 0 ? (after.steal - before.steal) / total : 0;
}

/** Runs a child to completion (tracked like the servers, so Ctrl-C stops it) and returns its stdout. */
export async function runChild(
  name: string,
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-outputLimit);
  });
  const entry: BenchChild = {
    name,
    process: child,
    pid: child.pid,
    port: 0,
    spawnedAt: performance.now(),
    output: () => stderr,
  };
  running.add(entry);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  running.delete(entry);
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${stderr.slice(-4000)}`);
  return stdout;
}
