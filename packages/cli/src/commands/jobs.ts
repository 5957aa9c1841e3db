import type { Job, StructuredPromptClient } from '@structured-prompt/sdk';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { contextOf } from '../context.ts';
import { exitCodes } from '../exit-codes.ts';
import type { Printer } from '../output.ts';
import { readBatchItems } from './batch-input.ts';

const jobColumns = ['id', 'type', 'status', 'priority', 'created_at', 'completed_at'];

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('Asynchronous jobs: submit, follow, collect, cancel');
  jobs
    .command('submit')
    .description('Submit the prompts of a JSONL or CSV file as one job')
    .argument('<input>', 'JSONL or CSV file, as for `sps batch`')
    .option('--priority <level>', 'high, default or low')
    .option('--webhook-url <url>', 'signed callback when the job ends')
    .option('--wait', 'wait for the job to finish, with a progress bar')
    .action(
      async (
        input: string,
        options: { priority?: Job['priority']; webhookUrl?: string; wait?: boolean },
        command,
      ) => {
        const { client, printer } = contextOf(command);
        const items = readBatchItems(input);
        const job = await client.jobs.submit({
          items,
          priority: options.priority,
          webhook_url: options.webhookUrl,
        });
        printer.info(`submitted job ${job.id} with ${items.length} items`);
        printer.result(options.wait ? await follow(client, job.id, printer) : job);
      },
    );
  jobs
    .command('status')
    .description("Show a job's state and progress")
    .argument('<id>')
    .action(async (id: string, _options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.jobs.get(id));
    });
  jobs
    .command('wait')
    .description('Wait until a job has finished, with a progress bar on a terminal')
    .argument('<id>')
    .action(async (id: string, _options, command) => {
      const { client, printer } = contextOf(command);
      const job = await follow(client, id, printer);
      printer.result(job);
      if (job.status !== 'completed') process.exitCode = exitCodes.api;
    });
  registerJobOutputs(jobs);
}

function registerJobOutputs(jobs: Command): void {
  jobs
    .command('results')
    .description("Print a job's item results as JSON lines, in submission order")
    .argument('<id>')
    .action(async (id: string, _options, command) => {
      const { client } = contextOf(command);
      for await (const result of client.jobs.results(id)) process.stdout.write(`${JSON.stringify(result)}\n`);
    });
  jobs
    .command('cancel')
    .description('Cancel a job that has not finished')
    .argument('<id>')
    .action(async (id: string, _options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.jobs.cancel(id));
    });
  jobs
    .command('list')
    .description('List jobs, newest first')
    .option('-n, --limit <n>', 'at most this many', '20')
    .action(async (options: { limit: string }, command) => {
      const { client, printer } = contextOf(command);
      printer.result(
        await client.jobs.list({ limit: Number(options.limit) }).toArray(Number(options.limit)),
        jobColumns,
      );
    });
}

/** Polls the job to its end; a progress bar on stderr when it is a terminal. */
async function follow(client: StructuredPromptClient, id: string, printer: Printer): Promise<Job> {
  const bar =
    process.stderr.isTTY && !printer.quiet
      ? new SingleBar(
          { stream: process.stderr, format: '{bar} {percentage}% | {value}/{total} items | {status}' },
          Presets.shades_classic,
        )
      : undefined;
  let started = false;
  const job = await client.jobs.wait(id, {
    intervalMs: 200,
    maxIntervalMs: 2000,
    onProgress: (state) => {
      const { succeeded, failed, cancelled } = state.progress;
      const finished = succeeded + failed + cancelled;
      if (!started) bar?.start(state.progress.total, finished, { status: state.status });
      started = true;
      bar?.update(finished, { status: state.status });
    },
  });
  bar?.stop();
  return job;
}
