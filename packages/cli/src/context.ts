import { readFileSync } from 'node:fs';
import { StructuredPromptClient } from '@structured-prompt/sdk';
import type { Command } from 'commander';
import { UsageError } from './exit-codes.ts';
import { createPrinter, type OutputFormat, type Printer } from './output.ts';
import { resolveConnection } from './settings.ts';

interface GlobalOptions {
  url?: string;
  apiKey?: string;
  profile?: string;
  output?: OutputFormat;
  quiet?: boolean;
  verbose?: boolean;
  timeout?: string;
}

export interface CommandContext {
  client: StructuredPromptClient;
  printer: Printer;
}

/** The client and printer for a command, from the global flags, the environment and the profile. */
export function contextOf(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const connection = resolveConnection(options);
  const printer = createPrinter({
    format: options.output ?? (process.stdout.isTTY ? 'table' : 'json'),
    quiet: options.quiet,
    verbose: options.verbose,
  });
  printer.debug(`profile ${connection.profile}: ${connection.url}`);
  const timeoutMs = options.timeout ? Number(options.timeout) * 1000 : undefined;
  const client = new StructuredPromptClient({
    baseUrl: connection.url,
    apiKey: connection.apiKey,
    timeoutMs,
  });
  return { client, printer };
}

/** A JSON or YAML file's content (YAML is a superset, so one parser reads both). */
export async function readDataFile(path: string): Promise<unknown> {
  const { parse } = await import('yaml');
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** `k=v` pairs into an object; values that parse as JSON (numbers, booleans, arrays) are taken as such. */
export function parameters(pairs: readonly string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`--param takes key=value, not "${pair}"`);
    const raw = pair.slice(at + 1);
    try {
      result[pair.slice(0, at)] = JSON.parse(raw);
    } catch {
      result[pair.slice(0, at)] = raw;
    }
  }
  return result;
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
