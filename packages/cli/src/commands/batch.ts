import { appendFileSync, writeFileSync } from 'node:fs';
import { type AnalyzeInput, ApiError, type StructuredPromptClient } from '@structured-prompt/sdk';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import pLimit from 'p-limit';
import { contextOf, readDataFile } from '../context.ts';
import { exitCodes, UsageError } from '../exit-codes.ts';
import { finishedIndexes, readBatchItems } from './batch-input.ts';

interface BatchOptions {
  out?: string;
  concurrency: string;
  resume?: boolean;
  schema?: string;
  schemaId?: string;
  progress: boolean;
}

export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description('Analyze every prompt of a JSONL or CSV file into JSON lines, a few at a time')
    .argument('<input>', 'JSONL (one request or prompt string per line) or CSV (a prompt column)')
    .option('--out <path>', 'write results here (default: standard output)')
    .option('-c, --concurrency <n>', 'requests in flight at once', '4')
    .option('--resume', 'skip items already in --out and append the rest')
    .option('-s, --schema <path>', 'JSON Schema file for every item without one')
    .option('--schema-id <ref>', 'registered schema for every item without one')
    .option('--no-progress', 'no progress bar')
    .action(async (input: string, options: BatchOptions, command: Command) => {
      const { client, printer } = contextOf(command);
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1)
        throw new UsageError('--concurrency takes a whole number ≥ 1');
      if (options.resume && !options.out) throw new UsageError('--resume needs --out');
      const items = await withSchema(readBatchItems(input), options);
      const done = options.resume ? finishedIndexes(options.out!) : new Set<number>();
      if (options.out && !options.resume) writeFileSync(options.out, '');
      const write = (line: string) =>
        options.out ? appendFileSync(options.out, `${line}\n`) : process.stdout.write(`${line}\n`);
      const todo = items.map((item, index) => ({ item, index })).filter(({ index }) => !done.has(index));
      printer.info(
        `${todo.length} of ${items.length} items to analyze${done.size ? ` (${done.size} done before)` : ''}`,
      );
      const showBar = options.progress && process.stderr.isTTY && !printer.quiet;
      const failed = await runAll(client, todo, concurrency, write, showBar ? items.length : 0, done.size);
      printer.info(`${todo.length - failed} succeeded, ${failed} failed`);
      if (failed > 0) process.exitCode = exitCodes.api;
    });
}

async function withSchema(items: AnalyzeInput[], options: BatchOptions): Promise<AnalyzeInput[]> {
  const schema = options.schema
    ? ((await readDataFile(options.schema)) as Record<string, unknown>)
    : undefined;
  return items.map((item) => {
    if (item.schema !== undefined || item.schema_id !== undefined) return item;
    if (schema) return { ...item, schema };
    return options.schemaId ? { ...item, schema_id: options.schemaId } : item;
  });
}

async function runAll(
  client: StructuredPromptClient,
  todo: { item: AnalyzeInput; index: number }[],
  concurrency: number,
  write: (line: string) => void,
  barTotal: number,
  alreadyDone: number,
): Promise<number> {
  const bar =
    barTotal > 0
      ? new SingleBar({ stream: process.stderr, hideCursor: true }, Presets.shades_classic)
      : undefined;
  bar?.start(barTotal, alreadyDone);
  const limit = pLimit(concurrency);
  let failed = 0;
  await Promise.all(
    todo.map(({ item, index }) =>
      limit(async () => {
        try {
          const answer = await client.analyze(item);
          write(JSON.stringify({ index, status: 'succeeded', ...answer }));
        } catch (error) {
          failed++;
          write(JSON.stringify({ index, status: 'failed', error: problemOf(error) }));
        }
        bar?.increment();
      }),
    ),
  );
  bar?.stop();
  return failed;
}

function problemOf(error: unknown): Record<string, unknown> {
  if (error instanceof ApiError) return error.problem;
  return { code: 'client_error', detail: (error as Error).message };
}
