/**
 * One autocannon run in its own process, so the load generator never shares the harness's event
 * loop (on 2 cores it still competes with the service for CPU; the figures include that).
 * Takes a JSON job as argv[2], prints one JSON line with the summary on stdout.
 *
 * The warm-up and the measured window are one autocannon run over the same connections: a separate
 * warm-up run would close its connections, and the measured run would then open all of them at once
 * and fire every first request in the same instant. With 256 connections that opening burst is 2% of
 * a 10 s run at 200 ms, enough to set the p99 by itself. Steady-state latency is what the scenarios
 * are meant to measure.
 */
import autocannon from 'autocannon';
import { cpuMilliseconds, hostTicks, stealShare } from './lib/child-processes.ts';

export interface LoadJob {
  url: string;
  connections: number;
  /** Length of the measured window. */
  durationSeconds: number;
  /** Load before the window on the same connections; not measured. */
  warmupSeconds?: number;
  /** A process whose CPU time (user + system) is read at the window's start and end. */
  cpuPid?: number;
  headers: Record<string, string>;
  /** The request body; with `distinctPrefix`, its prompt is made unique for every request. */
  body: { [field: string]: unknown };
  /** Every request gets prompt `<prefix> <counter> <prompt>`: a cache miss each time. */
  distinctPrefix?: string;
  /**
   * Prompts taken in turn: each request's body has the string `promptSlot` (wherever it sits, e.g. in
   * a chat message) replaced by the next one, made unique with `distinctPrefix` when that is set.
   */
  prompts?: readonly string[];
  promptSlot?: string;
}

export interface LoadSummary {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses completed inside the window, whatever their status. */
  completed: number;
  /** Responses over the whole run, warm-up included. */
  completedWithWarmup: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
  /** CPU time `cpuPid` spent inside the window, all threads. */
  cpuMs?: number;
  /** The same for its main thread alone: the event loop, the ceiling of a Node.js server. */
  mainThreadCpuMs?: number;
  /**
   * Share of the machine's CPU time taken by the hypervisor during the window (/proc/stat steal).
   * A vCPU that waits for the host runs everything late: it explains slow windows on a shared host.
   */
  hostStealShare?: number;
  /** The window, as epoch milliseconds: lets the harness cut a CPU profile to it. */
  windowStartEpochMs: number;
  windowEndEpochMs: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

/** Rewrites each request's body when its prompt changes from one request to the next. */
export function requestMaker(job: LoadJob): ((request: { body?: string }) => { body?: string }) | undefined {
  let counter = 0;
  const prompts = job.prompts ?? [];
  if (prompts.length > 0 && job.promptSlot) {
    // The body is serialized once; only the prompt's JSON string is spliced in per request.
    const [before = '', after = ''] = JSON.stringify(job.body).split(JSON.stringify(job.promptSlot));
    return (request) => {
      counter += 1;
      const prompt = prompts[counter % prompts.length] ?? '';
      const unique = job.distinctPrefix ? `${job.distinctPrefix} ${counter} ${prompt}` : prompt;
      return { ...request, body: `${before}${JSON.stringify(unique)}${after}` };
    };
  }
  if (!job.distinctPrefix) return undefined;
  return (request) => {
    counter += 1;
    const prompt = `${job.distinctPrefix} ${counter} ${String(job.body.prompt)}`;
    return { ...request, body: JSON.stringify({ ...job.body, prompt }) };
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
  const warmupMs = (job.warmupSeconds ?? 0) * 1000;
  const fixedBody = JSON.stringify(job.body);
  const setupRequest = requestMaker(job);

  // Latencies of the window in a growable typed array: exact percentiles, sub-millisecond resolution
  // (autocannon's own histogram keeps whole milliseconds, too coarse for a few-millisecond floor).
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let measuring = warmupMs === 0;
  let completedWithWarmup = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const statusCodes: Record<string, number> = {};
  const readCpu = () =>
    job.cpuPid === undefined
      ? undefined
      : {
          all: cpuMilliseconds(job.cpuPid),
          main: cpuMilliseconds(job.cpuPid, job.cpuPid),
        };
  let windowStart = performance.now();
  let windowStartEpochMs = Date.now();
  let cpuAtStart = readCpu();
  let hostAtStart = hostTicks();

  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    duration: (warmupMs + job.durationSeconds * 1000) / 1000,
    // Longer than any expected answer, so slowness shows as latency, not as a retry storm.
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...job.headers },
        body: fixedBody,
        ...(setupRequest ? { setupRequest } : {}),
      },
    ],
  });
  const warmupTimer =
    warmupMs > 0
      ? setTimeout(() => {
          measuring = true;
          windowStart = performance.now();
          windowStartEpochMs = Date.now();
          cpuAtStart = readCpu();
          hostAtStart = hostTicks();
        }, warmupMs)
      : undefined;
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    completedWithWarmup += 1;
    if (!measuring) return;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode < 200 || statusCode > 299) non2xx += 1;
  });
  instance.on('reqError', (error) => {
    if (!measuring) return;
    errors += 1;
    if (error.message === 'request timed out') timeouts += 1;
  });
  await instance;
  clearTimeout(warmupTimer);
  const windowMs = performance.now() - windowStart;
  const cpuAtEnd = readCpu();
  const hostAtEnd = hostTicks();
  const sorted = latencies.subarray(0, count).sort();
  const summary: LoadSummary = {
    requestsPerSecond: count / (windowMs / 1000),
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[count - 1] ?? Number.NaN,
    completed: count,
    completedWithWarmup,
    non2xx,
    errors,
    timeouts,
    statusCodes,
    durationSeconds: windowMs / 1000,
    ...(cpuAtStart === undefined || cpuAtEnd === undefined
      ? {}
      : { cpuMs: cpuAtEnd.all - cpuAtStart.all, mainThreadCpuMs: cpuAtEnd.main - cpuAtStart.main }),
    ...(hostAtStart && hostAtEnd ? { hostStealShare: stealShare(hostAtStart, hostAtEnd) } : {}),
    windowStartEpochMs,
    windowEndEpochMs: Date.now(),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

// Imported by the harness for its types (and the percentile test); runs only as a process entry.
if (import.meta.main) await main();
