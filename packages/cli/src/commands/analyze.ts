import { readFileSync } from 'node:fs';
import type { AnalyzeInput } from '@structured-prompt/sdk';
import type { Command } from 'commander';
import { collect, contextOf, parameters, readDataFile } from '../context.ts';
import { exitCodes, UsageError } from '../exit-codes.ts';
import { streamAnalyze } from './analyze-stream.ts';

interface AnalyzeOptions {
  file?: string;
  schema?: string;
  schemaId?: string;
  template?: string;
  param?: string[];
  provider?: string;
  model?: string;
  full?: boolean;
  stream?: boolean;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('Analyze one prompt and print the validated answer')
    .argument('[prompt]', 'the prompt (else --file, else standard input)')
    .option('-f, --file <path>', 'read the prompt from a file')
    .option('-s, --schema <path>', 'JSON Schema file (JSON or YAML) the answer must satisfy')
    .option('--schema-id <ref>', 'a registered schema: id, name or name@version')
    .option('-t, --template <ref>', 'a prompt template: id, name or name@version')
    .option('-p, --param <key=value>', 'a template parameter (repeatable)', collect)
    .option('--provider <name>', 'provider to ask (default: the router chooses)')
    .option('--model <name>', 'model to ask')
    .option('--full', 'print the whole answer envelope, not only data')
    .option('--stream', 'show the partial answer live on a terminal while the model writes it')
    .action(async (prompt: string | undefined, options: AnalyzeOptions, command: Command) => {
      const { client, printer } = contextOf(command);
      const request = await requestOf(prompt, options);
      const answer = options.stream
        ? await streamAnalyze(client, request, printer)
        : await client.analyze(request);
      printer.debug(
        `request ${answer.request_id}: ${answer.provider}/${answer.model}, ${answer.timing.total_ms} ms`,
      );
      printer.result(options.full ? answer : answer.data);
      if (answer.validation.status === 'failed') process.exitCode = exitCodes.validation;
    });
}

async function requestOf(prompt: string | undefined, options: AnalyzeOptions): Promise<AnalyzeInput> {
  const text = options.template ? prompt : (prompt ?? (await promptText(options.file)));
  const request: AnalyzeInput = { prompt: text } as AnalyzeInput;
  if (options.schema) request.schema = (await readDataFile(options.schema)) as Record<string, unknown>;
  if (options.schemaId) request.schema_id = options.schemaId;
  if (options.template) {
    request.template_id = options.template;
    request.parameters = parameters(options.param);
    if (!text) delete (request as { prompt?: string }).prompt;
  }
  if (options.provider) request.provider = options.provider;
  if (options.model) request.model = options.model;
  return request;
}

async function promptText(file: string | undefined): Promise<string> {
  if (file) return readFileSync(file, 'utf8').trim();
  if (process.stdin.isTTY) throw new UsageError('give a prompt, --file or standard input');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) throw new UsageError('the prompt on standard input is empty');
  return text;
}
