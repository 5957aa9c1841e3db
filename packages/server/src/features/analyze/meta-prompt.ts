import { readFileSync } from 'node:fs';
import type { FieldError } from '@structured-prompt/contracts';
import type { ChatMessage, JsonSchema } from '@structured-prompt/gateway';

/**
 * Version of the instructions sent to models. Part of what makes two answers comparable, so it belongs
 * in the cache key and the request log; bump it (new `meta-prompt.vN.txt`) instead of editing v1.
 */
export const metaPromptVersion = 'v2';

const template = parseSections(
  readFileSync(new URL(`./meta-prompt.${metaPromptVersion}.txt`, import.meta.url), 'utf8'),
);

/** Longest previous answer quoted back in a re-ask; the model only needs enough to fix it. */
const maxQuotedAnswerChars = 8_000;
/** Errors listed in a re-ask at most; the rest are counted. */
const maxListedErrors = 20;

export interface MetaPromptInput {
  /** The user's normalized prompt. */
  prompt: string;
  schema: JsonSchema;
  schemaName: string;
  /** ISO 639 code of the prompt language, when known. */
  language?: string;
}

export interface MetaPrompt {
  system: string;
  messages: ChatMessage[];
}

/** The first attempt: instructions and schema as the system prompt, the user's request as the message. */
export function buildMetaPrompt(input: MetaPromptInput): MetaPrompt {
  return { system: systemPrompt(input), messages: [userMessage(input)] };
}

function systemPrompt(input: MetaPromptInput): string {
  // A known language (forced by the caller) is named; otherwise the model is told to keep the
  // request's own language, which it recognises itself: no detection is needed before the call.
  const language = input.language !== undefined && input.language !== 'und' ? input.language : undefined;
  const languageRule =
    language !== undefined ? render(section('language'), { language }) : section('language_unknown');
  const rules = `${section('system')}\n${languageRule}`;
  return `${rules}\n\n${render(section('schema'), { schema_name: input.schemaName, schema: input.schema })}`;
}

/**
 * A re-ask: the original request, the rejected answer, and what was wrong with it, listed by JSON
 * Pointer. Earlier rejected answers are not repeated, which keeps every re-ask the same size.
 */
export function buildRepairMessages(
  input: MetaPromptInput,
  previousAnswer: string,
  rejection: { errors: readonly FieldError[] } | { parseFailure: string },
): ChatMessage[] {
  const quoted =
    previousAnswer.length > maxQuotedAnswerChars
      ? `${previousAnswer.slice(0, maxQuotedAnswerChars)}… [${previousAnswer.length - maxQuotedAnswerChars} more characters]`
      : previousAnswer;
  const problem =
    'errors' in rejection
      ? `it does not conform to the JSON Schema "${input.schemaName}". Fix these errors (JSON Pointer: problem):`
      : `it is not valid JSON (${rejection.parseFailure}).`;
  const errors = 'errors' in rejection ? formatValidationErrors(rejection.errors) : '';
  const repair = render(section('repair'), { problem, errors }).replace(/\n{3,}/g, '\n\n');
  return [userMessage(input), { role: 'assistant', content: quoted }, { role: 'user', content: repair }];
}

/** One line per error: `- /entities/0/type: must be one of "person", …`. */
export function formatValidationErrors(errors: readonly FieldError[]): string {
  const lines = errors
    .slice(0, maxListedErrors)
    .map((error) => `- ${error.path === '' ? '(root)' : error.path}: ${error.message}`);
  if (errors.length > maxListedErrors) lines.push(`- … and ${errors.length - maxListedErrors} more`);
  return lines.join('\n');
}

function userMessage(input: MetaPromptInput): ChatMessage {
  return { role: 'user', content: render(section('user'), { prompt: input.prompt }) };
}

function section(name: string): string {
  const text = template.get(name);
  if (text === undefined) throw new Error(`meta-prompt ${metaPromptVersion} has no "${name}" section`);
  return text;
}

/**
 * Fills `{{name}}` placeholders in one pass, so a prompt that itself contains `{{schema}}` is left as
 * it is. The schema is pretty-printed: models read indented JSON more reliably than one long line.
 */
function render(text: string, values: object): string {
  return text.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => {
    const value = (values as Record<string, unknown>)[name];
    if (name === 'schema') return JSON.stringify(value, null, 2);
    return typeof value === 'string' ? value : placeholder;
  });
}

/** `=== name ===` lines split the template file into named sections. */
function parseSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (name !== undefined) sections.set(name, lines.join('\n').replace(/^\n+|\n+$/g, ''));
  };
  for (const line of text.split(/\r?\n/)) {
    const header = /^=== (\w+) ===$/.exec(line);
    if (header === null) {
      lines.push(line);
      continue;
    }
    flush();
    name = header[1];
    lines = [];
  }
  flush();
  return sections;
}
