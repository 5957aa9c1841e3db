import type { LoadSummary } from '../load-generator.ts';
import {
  analyzeOnce,
  type FakeProvider,
  type MemorySplit,
  memorySplit,
  type Service,
} from './bench-stack.ts';
import { residentMegabytes } from './child-processes.ts';
import { analyzeJob, basePrompt, runId, runLoad, waitForQuiet } from './scenarios.ts';

/** Scenario 5 (batch vs sequential) and the --soak run: driven from the harness, not by load alone. */

export interface BatchResult {
  prompts: number;
  distinctPrompts: number;
  providerDelayMs: number;
  concurrency: number;
  sequentialMs: number;
  concurrentMs: number;
  speedUp: number;
  sequentialProviderCalls: number;
  concurrentProviderCalls: number;
  non2xx: number;
}

/** 80 distinct prompts plus 20 repeats, each repeat a few places after its original so some overlap in flight. */
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

/**
 * "Batch" means concurrent single requests (the service has no batch endpoint): identical requests in
 * flight share one provider call, so 100 prompts with 20 repeats make 80 calls; compared with the same
 * prompts one by one.
 */
export async function batchScenario(
  service: Service,
  fake: FakeProvider,
  delayMs: number,
): Promise<BatchResult> {
  const concurrency = 20;
  await fake.setDelay(delayMs);
  let non2xx = 0;
  const send = async (prompt: string): Promise<void> => {
    const answer = await analyzeOnce(service, prompt);
    if (answer.status < 200 || answer.status > 299) non2xx += 1;
  };

  const sequential = batchPrompts('sequential');
  await waitForQuiet(fake);
  await fake.resetCalls();
  const sequentialStart = performance.now();
  for (const prompt of sequential) await send(prompt);
  const sequentialMs = performance.now() - sequentialStart;
  const sequentialProviderCalls = await fake.calls();

  const concurrent = batchPrompts('concurrent');
  await fake.resetCalls();
  const concurrentStart = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < concurrent.length) await send(concurrent[next++]!);
    }),
  );
  const concurrentMs = performance.now() - concurrentStart;
  const concurrentProviderCalls = await fake.calls();
  await fake.setDelay(0);
  return {
    prompts: concurrent.length,
    distinctPrompts: new Set(concurrent).size,
    providerDelayMs: delayMs,
    concurrency,
    sequentialMs,
    concurrentMs,
    speedUp: sequentialMs / concurrentMs,
    sequentialProviderCalls,
    concurrentProviderCalls,
    non2xx,
  };
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
