import type { LoadSummary } from '../load-generator.ts';
import {
  analyzeOnce,
  type FakeProvider,
  type MemorySplit,
  memorySplit,
  providerName,
  type Service,
} from './bench-stack.ts';
import { residentMegabytes } from './child-processes.ts';
import { analyzeJob, basePrompt, runId, runLoad, waitForQuiet } from './scenarios.ts';

/** Scenario 5 (the batch endpoint vs one by one) and the --soak run: driven from the harness, not by load alone. */

export interface BatchResult {
  prompts: number;
  distinctPrompts: number;
  providerDelayMs: number;
  sequentialMs: number;
  batchMs: number;
  speedUp: number;
  /** Calls the fake provider counted: the ground truth. */
  sequentialProviderCalls: number;
  batchProviderCalls: number;
  /** What the batch's own summary says it did. */
  summary: { provider_calls: number; deduplicated: number; cached: number; failed: number };
  non2xx: number;
}

/** Exactly one call per distinct prompt: 80 for 100 prompts with 20 repeats. */
export const expectedProviderCalls = 80;

/** 80 distinct prompts plus 20 repeats, each repeat a few places after its original. */
function batchPrompts(tag: string): string[] {
  const originals = Array.from({ length: 80 }, (_, index) => `${tag}-${runId} item ${index} ${basePrompt}`);
  const prompts: string[] = [];
  originals.forEach((prompt, index) => {
    prompts.push(prompt);
    // Items 0, 4, 8 … 76 come again right after item +2: 20 repeats.
    if (index % 4 === 2) prompts.push(originals[index - 2]!);
  });
  return prompts;
}

/** One `POST /v1/analyze/batch` of every prompt: its status and its summary. */
async function analyzeBatch(service: Service, prompts: string[]) {
  const response = await fetch(`${service.baseUrl}/v1/analyze/batch`, {
    method: 'POST',
    headers: { 'x-api-key': service.userKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      defaults: { provider: providerName },
      items: prompts.map((prompt) => ({ prompt })),
    }),
  });
  const body = (await response.json()) as { summary?: BatchResult['summary'] };
  if (response.status !== 200 || !body.summary) {
    throw new Error(`the batch endpoint answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.summary;
}

/**
 * The same 100 prompts (20 of them repeats) sent one by one, then as one batch request, against a
 * provider that takes `delayMs`: identical items are computed once and the rest run concurrently, so
 * both make exactly 80 provider calls. Throws when either does not: that is a correctness failure.
 */
export async function batchScenario(
  service: Service,
  fake: FakeProvider,
  delayMs: number,
): Promise<BatchResult> {
  await fake.setDelay(delayMs);
  let non2xx = 0;
  const sequential = batchPrompts('sequential');
  await waitForQuiet(fake);
  await fake.resetCalls();
  const sequentialStart = performance.now();
  for (const prompt of sequential) {
    const answer = await analyzeOnce(service, prompt);
    if (answer.status < 200 || answer.status > 299) non2xx += 1;
  }
  const sequentialMs = performance.now() - sequentialStart;
  const sequentialProviderCalls = await fake.calls();

  const batched = batchPrompts('batch');
  await fake.resetCalls();
  const batchStart = performance.now();
  const summary = await analyzeBatch(service, batched);
  const batchMs = performance.now() - batchStart;
  const batchProviderCalls = await fake.calls();
  await fake.setDelay(0);
  const result: BatchResult = {
    prompts: batched.length,
    distinctPrompts: new Set(batched).size,
    providerDelayMs: delayMs,
    sequentialMs,
    batchMs,
    speedUp: sequentialMs / batchMs,
    sequentialProviderCalls,
    batchProviderCalls,
    summary,
    non2xx: non2xx + summary.failed,
  };
  if (batchProviderCalls !== expectedProviderCalls || sequentialProviderCalls !== expectedProviderCalls) {
    throw new Error(
      `batch scenario: expected exactly ${expectedProviderCalls} provider calls, the fake counted ` +
        `${batchProviderCalls} for the batch and ${sequentialProviderCalls} one by one ` +
        `(${JSON.stringify(result)})`,
    );
  }
  return result;
}

export interface SoakResult {
  minutes: number;
  /** JS heap after a full collection, under load: growth here is a leak, not lazy collection. */
  heapAtOneMinute?: MemorySplit;
  heapAtEnd?: MemorySplit;
  rssAtOneMinuteMb: number;
  rssAtEndMb: number;
  growthMb: number;
  samples: Array<{ seconds: number; rssMb: number }>;
  load: LoadSummary;
}

/** Scenario 3 for several minutes, RSS sampled every 10 s: a leak shows as a steady climb. */
export async function soakScenario(
  service: Service,
  fake: FakeProvider,
  minutes: number,
): Promise<SoakResult> {
  await fake.setDelay(0);
  const samples: SoakResult['samples'] = [];
  const start = performance.now();
  const timer = setInterval(() => {
    samples.push({
      seconds: Math.round((performance.now() - start) / 1000),
      rssMb: residentMegabytes(service.child.pid),
    });
  }, 10_000);
  let heapAtOneMinute: MemorySplit | undefined;
  let heapAtEnd: MemorySplit | undefined;
  const heapTimers = [
    setTimeout(async () => {
      heapAtOneMinute = await memorySplit(service);
    }, 60_000),
    setTimeout(
      async () => {
        heapAtEnd = await memorySplit(service);
      },
      minutes * 60_000 - 5000,
    ),
  ];
  let load: LoadSummary;
  try {
    load = await runLoad(analyzeJob(service, 64, minutes * 60, 'soak'));
  } finally {
    clearInterval(timer);
    for (const heapTimer of heapTimers) clearTimeout(heapTimer);
  }
  const atOneMinute = samples.find((sample) => sample.seconds >= 60) ?? samples[0];
  const atEnd = samples.at(-1);
  const rssAtOneMinuteMb = atOneMinute?.rssMb ?? Number.NaN;
  const rssAtEndMb = atEnd?.rssMb ?? Number.NaN;
  return {
    minutes,
    heapAtOneMinute,
    heapAtEnd,
    rssAtOneMinuteMb,
    rssAtEndMb,
    growthMb: rssAtEndMb - rssAtOneMinuteMb,
    samples,
    load,
  };
}
