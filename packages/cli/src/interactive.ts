import * as prompts from '@clack/prompts';
import type { StructuredPromptClient } from '@structured-prompt/sdk';
import { exitFor } from './exit-codes.ts';
import type { Printer } from './output.ts';

/** Where analyze's schema comes from in the loop: the default, or a registered schema. */
async function chooseSchema(client: StructuredPromptClient): Promise<string | undefined | symbol> {
  const registered = await client.schemas
    .list()
    .toArray(50)
    .catch(() => []);
  return prompts.select({
    message: 'Answer with which schema?',
    options: [
      { value: '', label: 'the default prompt analysis' },
      ...registered.map((schema) => ({
        value: schema.name,
        label: `${schema.name} (${schema.latest_version})`,
      })),
    ],
  });
}

/**
 * `sps` alone on a terminal: pick a schema, then prompt → answer until an empty prompt or Ctrl-C.
 */
export async function interactive(client: StructuredPromptClient, printer: Printer): Promise<void> {
  prompts.intro('sps: structured answers to your prompts');
  const schema = await chooseSchema(client);
  if (prompts.isCancel(schema)) return prompts.cancel('bye');
  for (;;) {
    const prompt = await prompts.text({ message: 'Prompt (empty to quit)' });
    if (prompts.isCancel(prompt) || !prompt?.trim()) break;
    const spinner = prompts.spinner();
    spinner.start('asking');
    try {
      const answer = await client.analyze({ prompt, schema_id: (schema as string) || undefined });
      spinner.stop(`${answer.provider}/${answer.model}, validation ${answer.validation.status}`);
      printer.result(answer.data);
    } catch (error) {
      spinner.error(exitFor(error).message);
    }
  }
  prompts.outro('bye');
}
