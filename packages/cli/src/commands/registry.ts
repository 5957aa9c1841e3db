import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import pc from 'picocolors';
import { contextOf, readDataFile } from '../context.ts';

const schemaColumns = ['id', 'name', 'latest_version', 'visibility', 'created_at'];
const templateColumns = ['id', 'name', 'latest_version', 'visibility', 'updated_at'];

export function registerSchemas(program: Command): void {
  const schemas = program.command('schemas').description('The schema registry');
  schemas
    .command('list')
    .description('Schemas visible to the key')
    .option('-q, --query <text>', 'text in the name or description')
    .action(async (options: { query?: string }, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.schemas.list({ q: options.query }).toArray(), schemaColumns);
    });
  schemas
    .command('get')
    .description('A schema with its latest version (or the given one)')
    .argument('<ref>', 'id or name')
    .argument('[version]')
    .action(async (ref: string, version: string | undefined, _options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(version ? await client.schemas.version(ref, version) : await client.schemas.get(ref));
    });
  schemas
    .command('create')
    .description('Register a schema from a file: {name, schema, description?, tags?, visibility?}')
    .requiredOption('-f, --file <path>', 'JSON or YAML file')
    .action(async (options: { file: string }, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.schemas.create((await readDataFile(options.file)) as never));
    });
  schemas
    .command('publish')
    .description('Publish a new version from a JSON Schema file')
    .argument('<ref>')
    .requiredOption('-f, --file <path>', 'the JSON Schema (JSON or YAML)')
    .option('--version <semver>', 'the version number (default: derived from the change)')
    .action(async (ref: string, options: { file: string; version?: string }, command) => {
      const { client, printer } = contextOf(command);
      const schema = (await readDataFile(options.file)) as Record<string, unknown>;
      printer.result(await client.schemas.publish(ref, { schema, version: options.version } as never));
    });
  schemas
    .command('diff')
    .description('Unified diff of two versions of a schema')
    .arguments('<ref> <from> <to>')
    .action(async (ref: string, from: string, to: string, _options, command) => {
      const { client } = contextOf(command);
      const [before, after] = await Promise.all([
        client.schemas.version(ref, from),
        client.schemas.version(ref, to),
      ]);
      printDiff(`${ref}@${from}`, `${ref}@${to}`, pretty(before.schema), pretty(after.schema));
    });
}

export function registerTemplates(program: Command): void {
  const templates = program.command('templates').description('Prompt templates');
  templates
    .command('list')
    .description('Templates visible to the key')
    .action(async (_options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.templates.list().toArray(), templateColumns);
    });
  templates
    .command('get')
    .description('A template (or one of its versions)')
    .argument('<id>')
    .argument('[version]')
    .action(async (id: string, version: string | undefined, _options, command) => {
      const { client, printer } = contextOf(command);
      printer.result(version ? await client.templates.version(id, version) : await client.templates.get(id));
    });
  templates
    .command('create')
    .description('Create a template from a file: {name, template, parameters?, schema?, defaults?}')
    .requiredOption('-f, --file <path>', 'JSON or YAML file')
    .action(async (options: { file: string }, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.templates.create((await readDataFile(options.file)) as never));
    });
  templates
    .command('update')
    .description('Change a template from a file; a new text or parameters make a new version')
    .argument('<id>')
    .requiredOption('-f, --file <path>', 'JSON or YAML file with the fields to change')
    .action(async (id: string, options: { file: string }, command) => {
      const { client, printer } = contextOf(command);
      printer.result(await client.templates.update(id, (await readDataFile(options.file)) as never));
    });
  templates
    .command('diff')
    .description('Unified diff of two versions of a template')
    .arguments('<id> <from> <to>')
    .action(async (id: string, from: string, to: string, _options, command) => {
      const { client } = contextOf(command);
      const [before, after] = await Promise.all([
        client.templates.version(id, from),
        client.templates.version(id, to),
      ]);
      const text = (version: typeof before) =>
        `${version.template}\n\nparameters: ${pretty(version.parameters)}`;
      printDiff(`${id}@${from}`, `${id}@${to}`, text(before), text(after));
    });
}

function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function printDiff(fromName: string, toName: string, before: string, after: string): void {
  const patch = createTwoFilesPatch(fromName, toName, before, after, '', '', { context: 3 });
  const colour = (line: string) =>
    line.startsWith('+') && !line.startsWith('+++')
      ? pc.green(line)
      : line.startsWith('-') && !line.startsWith('---')
        ? pc.red(line)
        : line;
  process.stdout.write(patch.split('\n').map(colour).join('\n'));
}
