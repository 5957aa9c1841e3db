import { Command, Option } from 'commander';
import { registerKeys, registerRequests, registerUsage } from './commands/account.ts';
import { registerAnalyze } from './commands/analyze.ts';
import { registerBatch } from './commands/batch.ts';
import { registerConfig } from './commands/config.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerProcesses } from './commands/processes.ts';
import { bashCompletion, manPage } from './commands/reference.ts';
import { registerSchemas, registerTemplates } from './commands/registry.ts';
import { exitCodes } from './exit-codes.ts';

/** Every `sps` command and option; the help, the completion script and the man page come from here. */
export function buildProgram(version: string): Command {
  const program = new Command('sps')
    .description('Command-line tool of the Structured Prompt Service: prompts in, validated JSON out')
    .version(version)
    .option('--url <url>', 'service URL (env SPS_URL)')
    .option('--api-key <key>', 'API key (env SPS_API_KEY)')
    .option('--profile <name>', 'settings profile (env SPS_PROFILE)')
    .addOption(
      new Option('-o, --output <format>', 'output format (default: table on a terminal, else json)').choices([
        'json',
        'yaml',
        'table',
      ]),
    )
    .option('--timeout <seconds>', 'time limit of each call')
    .option('-q, --quiet', 'no notes on standard error')
    .option('-v, --verbose', 'more detail on standard error')
    .option('--no-color', 'no colours (also with NO_COLOR)')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 usage error, 2 API error, 3 answer failed validation.\nWithout arguments on a terminal: interactive mode.',
    );
  registerAnalyze(program);
  registerBatch(program);
  registerJobs(program);
  registerSchemas(program);
  registerTemplates(program);
  registerKeys(program);
  registerRequests(program);
  registerUsage(program);
  registerConfig(program);
  registerProcesses(program);
  program
    .command('completion')
    .description('Print the shell completion script (bash, or zsh with bashcompinit)')
    .action(() => {
      process.stdout.write(bashCompletion(program));
    });
  program
    .command('man')
    .description('Print the sps(1) manual page (roff): sps man | man -l -')
    .action(() => {
      process.stdout.write(manPage(program, exitCodes));
    });
  return program;
}
