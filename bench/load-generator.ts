/**
 * One autocannon run in its own process, so the load generator never shares the harness's event
 * loop (on 2 cores it still competes with the service for CPU; the figures include that).
 * Takes a JSON job as argv[2], prints one JSON line with the summary on stdout.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  /** The request body; with `distinctPrefix`, its prompt is made unique for every request. */
  body: { prompt: string; [field: string]: unknown };
  /** Every request gets prompt `<prefix> <counter> <prompt>`: a cache miss each time. */
  distinctPrefix?: string;
}

export interface LoadSummary {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Completed responses, whatever their status. */
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
  const fixedBody = JSON.stringify(job.body);
  let counter = 0;
  const setupRequest = job.distinctPrefix
    ? (request: { body?: string }) => {
        counter += 1;
        const prompt = `${job.distinctPrefix} ${counter} ${job.body.prompt}`;
        return { ...request, body: JSON.stringify({ ...job.body, prompt }) };
      }
    : undefined;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
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
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  const summary: LoadSummary = {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    completed: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    durationSeconds: result.duration,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

await main();
