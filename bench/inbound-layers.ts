/**
 * `npm run bench:layers`: what each layer of the inbound HTTP path costs per request. Builds the app
 * one plugin at a time (`bench/layered-app.ts`), answers a cache-hit-shaped `POST /v1/analyze` at 64
 * connections, and reads the app's **main-thread** CPU time over the measured window: the event loop
 * is the ceiling of a Node.js server, and the request-log and GC threads would blur the differences.
 *
 *   node bench/inbound-layers.ts [--duration 6] [--warmup 2] [--layers 6,7] [--service-env '{"LOG_BATCH_SIZE":"1000"}']
 *
 * `--service-env` adds settings to the service of layers 6–9 (an experiment: is it the log thread?).
 *
 * Prints one table and writes bench/results/layers.json. Same caveats as `npm run bench`: 2 cores
 * shared with the load generator, so compare rows of one run, not runs of different days.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodeBinary, repoRoot, startFakeProvider } from './lib/bench-stack.ts';
import { killAllChildrenNow, startChild, stopAllChildren, stopChild } from './lib/child-processes.ts';
import { runLoad } from './lib/scenarios.ts';

const layers = [
  'bare Fastify, fixed analyze answer',
  '+ strict JSON body parser',
  '+ route schemas (Ajv body validation, fast-json-stringify answer)',
  '+ HTTP metrics (counter, histogram, in-flight gauge)',
  '+ security headers (6)',
  '+ request id (UUID, header)',
  "+ the service's logger (pino at warn, lazy per-request child)",
  '+ auth (lockout, key verification, hourly limit, 5 rate-limit headers)',
  '+ the analyze service answering from its cache',
  'the real app (buildApp)',
];

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '2' },
    layers: { type: 'string' },
    'service-env': { type: 'string', default: '{}' },
  },
});
process.once('exit', killAllChildrenNow);
process.once('SIGINT', () => void stopAllChildren().finally(() => process.exit(130)));

interface LayerRow {
  layer: number;
  name: string;
  requestsPerSecond: number;
  mainThreadMicrosecondsPerRequest: number;
  addedMicroseconds: number | null;
  non2xx: number;
}

const adminKey = `sp_${randomBytes(32).toString('hex')}`;
const body = { prompt: 'Translate "good morning" into French', provider: 'openai-compatible' };

async function measureLayer(
  layer: number,
  providerBaseUrl: string,
): Promise<Omit<LayerRow, 'addedMicroseconds'>> {
  const app = await startChild({
    name: `layered app ${layer}`,
    command: nodeBinary,
    args: [join(repoRoot, 'bench', 'layered-app.ts'), String(layer), '0', providerBaseUrl, adminKey],
    readyPattern: /layered app listening on (\d+)/,
    timeoutMs: 60_000,
    env: { LAYER_ENV: flags['service-env'] },
  });
  try {
    const url = `http://127.0.0.1:${app.port}/v1/analyze`;
    const headers = { 'content-type': 'application/json', 'x-api-key': adminKey };
    // Fills the cache of layers 8 and 9; every layer must answer 200 before it is measured.
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
      if (response.status !== 200)
        throw new Error(`layer ${layer} answered ${response.status}: ${await response.text()}`);
    }
    const summary = await runLoad({
      url,
      connections: 64,
      durationSeconds: Number(flags.duration),
      warmupSeconds: Number(flags.warmup),
      cpuPid: app.pid,
      headers: { 'x-api-key': adminKey },
      body,
    });
    return {
      layer,
      name: layers[layer] ?? String(layer),
      requestsPerSecond: summary.requestsPerSecond,
      mainThreadMicrosecondsPerRequest: ((summary.mainThreadCpuMs ?? Number.NaN) * 1000) / summary.completed,
      non2xx: summary.non2xx + summary.errors,
    };
  } finally {
    await stopChild(app);
  }
}

try {
  const fake = await startFakeProvider();
  const rows: LayerRow[] = [];
  const only = flags.layers?.split(',').map(Number);
  for (let layer = 0; layer < layers.length; layer++) {
    if (only && !only.includes(layer)) continue;
    process.stderr.write(`layer ${layer}: ${layers[layer]}…\n`);
    const measured = await measureLayer(layer, fake.baseUrl);
    const previous = rows.at(-1);
    // The real app is compared with layer 8: what buildApp adds beyond the layers rebuilt here.
    const added = previous
      ? measured.mainThreadMicrosecondsPerRequest - previous.mainThreadMicrosecondsPerRequest
      : null;
    rows.push({ ...measured, addedMicroseconds: added });
  }
  const lines = [
    '| layer | req/s | main thread µs/request | added µs | non-2xx |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.layer}. ${row.name} | ${row.requestsPerSecond.toFixed(0)} | ${row.mainThreadMicrosecondsPerRequest.toFixed(1)} | ${row.addedMicroseconds === null ? '' : row.addedMicroseconds.toFixed(1)} | ${row.non2xx} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  const file = join(repoRoot, 'bench', 'results', 'layers.json');
  writeFileSync(file, `${JSON.stringify({ startedAt: new Date().toISOString(), rows }, null, 2)}\n`);
  process.stderr.write(`wrote ${file}\n`);
} catch (error) {
  process.stderr.write(`layers benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
}
