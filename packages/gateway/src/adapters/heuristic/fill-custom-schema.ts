/**
 * Fills an arbitrary JSON Schema from the offline analysis, honestly: a property gets a value only
 * when its name (or format) says what it wants and the prompt has it, an enum gets the member the
 * prompt supports, and everything else is either left out (optional) or given a type-valid
 * placeholder (required) — and named in `warnings` either way, so the caller knows exactly which
 * parts of the answer are guesses.
 */
import type { JsonSchema } from '../../spec/json-schema.ts';
import { parseAmount } from './amount-entities.ts';
import type { EntitySpan } from './entity-span.ts';
import type { SchemaObject } from './schema-constraints.ts';
import { fitsNumber, fitsString, none, numberPlaceholder, stringPlaceholder } from './schema-constraints.ts';
import { type FillContext, nameWords, semanticOf, valuesFor } from './schema-semantics.ts';

export interface FillResult {
  value: unknown;
  warnings: string[];
  /** Leaf values taken from the prompt, and leaves that are placeholders: the confidence cap uses both. */
  filled: number;
  placeholders: number;
}

interface Walk {
  root: SchemaObject;
  context: FillContext;
  warnings: string[];
  filled: number;
  placeholders: number;
  /** Values and placeholder characters this answer may still build; shared by every branch. */
  budget: { left: number };
}

const maximumDepth = 12;
/**
 * The most values and placeholder characters one answer is built from. A schema's numbers
 * (`minItems`, `minLength`) and `$ref` fan-out never size the work beyond it: past it, arrays stop
 * short and placeholders are null, and the answer fails validation like any incomplete answer.
 */
const answerBudget = 10_000;
type Filled = unknown | typeof none;

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows local `$ref`s, merges `allOf`, and takes the first non-null branch of `anyOf`/`oneOf`. */
function resolve(schema: unknown, walk: Walk, depth = 0): SchemaObject {
  if (!isObject(schema) || depth > maximumDepth) return {};
  let current: SchemaObject = schema;
  if (typeof current.$ref === 'string' && current.$ref.startsWith('#')) {
    const target = current.$ref
      .slice(1)
      .split('/')
      .filter(Boolean)
      .reduce<unknown>(
        (node, part) =>
          isObject(node) ? node[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))] : undefined,
        walk.root,
      );
    const { $ref: _ignored, ...rest } = current;
    current = { ...resolve(target, walk, depth + 1), ...rest };
  }
  if (Array.isArray(current.allOf)) {
    const merged: SchemaObject = { ...current, allOf: undefined };
    const properties: SchemaObject = {};
    const required: string[] = [];
    for (const part of current.allOf.map((entry) => resolve(entry, walk, depth + 1))) {
      Object.assign(merged, part);
      Object.assign(properties, isObject(part.properties) ? part.properties : {});
      if (Array.isArray(part.required)) required.push(...(part.required as string[]));
    }
    Object.assign(properties, isObject(current.properties) ? current.properties : {});
    if (Array.isArray(current.required)) required.push(...(current.required as string[]));
    current = { ...merged, properties, required };
  }
  const branches = (current.anyOf ?? current.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches)) {
    const branch = branches
      .map((part) => resolve(part, walk, depth + 1))
      .find((part) => part.type !== 'null');
    if (branch) current = { ...current, anyOf: undefined, oneOf: undefined, ...branch };
  }
  return current;
}

function typesOf(schema: SchemaObject): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

function bestEnumMember(members: unknown[], name: string, walk: Walk): Filled {
  const { analysis, prompt } = walk.context;
  const semantic = semanticOf(name);
  const wanted = [
    ...(semantic ? valuesFor(semantic, walk.context) : []),
    analysis.intent,
    analysis.output_format,
    analysis.original_language,
  ];
  const lower = (value: unknown) => String(value).toLowerCase();
  for (const candidate of wanted) {
    const hit = members.find((member) => lower(member) === lower(candidate));
    if (hit !== undefined) return hit;
  }
  const promptText = prompt.toLowerCase();
  const byLength = members
    .filter((member) => typeof member === 'string' && member.length > 1)
    .sort((a, b) => String(b).length - String(a).length);
  const asWord = byLength.find((member) =>
    new RegExp(`(?<!\\p{L})${escapeRegExp(lower(member))}(?!\\p{L})`, 'u').test(promptText),
  );
  if (asWord !== undefined) return asWord;
  // "urgently" supports "urgent", "cancelled" supports "cancel": a shared stem of five letters.
  return (
    byLength.find((member) => lower(member).length >= 5 && promptText.includes(lower(member).slice(0, 5))) ??
    none
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Name words that say nothing about which of several dates or times is meant. */
const genericNameWords = new Set(['date', 'time', 'datetime', 'at', 'on', 'of', 'the', 'day', 'timestamp']);

/**
 * Orders spans so that one preceded closely by a word of the property name comes first: for
 * `due_date` in "…the March work, due 2027-04-30", the date after "due", not the first date seen.
 */
function byNameCue(spans: readonly EntitySpan[], name: string, prompt: string): EntitySpan[] {
  const cues = nameWords(name).filter((word) => word.length > 2 && !genericNameWords.has(word));
  if (cues.length === 0) return [...spans];
  const text = prompt.toLowerCase();
  const cued = (span: EntitySpan) =>
    cues.some((cue) => text.slice(Math.max(0, span.start - 24), span.start).includes(cue));
  return [...spans.filter(cued), ...spans.filter((span) => !cued(span))];
}

function fromFormat(format: unknown, name: string, walk: Walk): unknown[] {
  const spans = byNameCue(walk.context.spans, name, walk.context.prompt);
  const of = (type: string) => spans.filter((span) => span.type === type).map((span) => span.value);
  if (format === 'email' || format === 'idn-email') return of('email');
  if (format === 'uri' || format === 'iri' || format === 'uri-reference') return of('url');
  if (format === 'date') return of('date');
  if (format === 'date-time') {
    const time = of('time')[0] ?? '00:00';
    return of('date').map((date) => `${date}T${time}:00Z`);
  }
  if (format === 'time') return of('time').map((time) => `${time}:00Z`);
  return [];
}

function fillValue(raw: unknown, name: string, path: string, walk: Walk, depth: number): Filled {
  if (walk.budget.left <= 0) return none;
  walk.budget.left -= 1;
  const schema = resolve(raw, walk);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return bestEnumMember(schema.enum, name, walk);
  const types = typesOf(schema);
  const semantic = semanticOf(name);
  const candidates = [
    ...fromFormat(schema.format, name, walk),
    ...(semantic ? valuesFor(semantic, walk.context) : []),
  ];
  for (const type of types.length ? types : ['string']) {
    if (type === 'object' && depth < maximumDepth) return fillObject(schema, path, walk, depth + 1);
    if (type === 'array' && depth < maximumDepth) {
      const items = resolve(schema.items, walk);
      const values: unknown[] = [...entityObjects(name, items, walk)];
      for (const candidate of candidates) {
        const item = coerce(candidate, items);
        if (item !== none && !values.includes(item)) values.push(item);
      }
      const limited = typeof schema.maxItems === 'number' ? values.slice(0, schema.maxItems) : values;
      if (limited.length > 0 && limited.length >= ((schema.minItems as number) ?? 0)) return limited;
      continue;
    }
    for (const candidate of candidates) {
      const value = coerce(candidate, { ...schema, type });
      if (value !== none) return value;
    }
  }
  return none;
}

/** `entities: [{type, value}]` — the default schema's entity list, filtered to the allowed types. */
function entityObjects(name: string, items: SchemaObject, walk: Walk): unknown[] {
  const properties = isObject(items.properties) ? items.properties : {};
  if (!nameWords(name).includes('entities') || !('type' in properties) || !('value' in properties)) return [];
  const allowed = resolve(properties.type, walk).enum;
  return walk.context.analysis.entities.filter(
    (entity) => !Array.isArray(allowed) || allowed.includes(entity.type),
  );
}

function coerce(candidate: unknown, schema: SchemaObject): Filled {
  const type = typesOf(schema)[0] ?? typeof candidate;
  if (Array.isArray(schema.enum)) return schema.enum.includes(candidate) ? candidate : none;
  if (type === 'string' && (typeof candidate === 'string' || typeof candidate === 'number')) {
    return fitsString(String(candidate), schema);
  }
  if ((type === 'number' || type === 'integer') && typeof candidate === 'string') {
    // "250 USD" → 250, "15%" → 15, "2026-03-12" is not a number.
    const amount = /^-?[\d.,\s]+(?=\s\p{Lu}{3}$|%$|$)/u.exec(candidate);
    return amount ? fitsNumber(parseAmount(amount[0].trim()), schema, type === 'integer') : none;
  }
  if (type === 'boolean' && typeof candidate === 'boolean') return candidate;
  return none;
}

function placeholder(raw: unknown, walk: Walk, depth: number): unknown {
  if (walk.budget.left <= 0) return null;
  walk.budget.left -= 1;
  const schema = resolve(raw, walk);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  // Where the schema allows null, null says "unknown" more honestly than an empty value.
  if (typesOf(schema).includes('null')) return null;
  const type = typesOf(schema)[0];
  switch (type) {
    case 'object':
      return depth < maximumDepth ? fillObject(schema, '', { ...walk, warnings: [] }, depth + 1, true) : {};
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items: unknown[] = [];
      while (items.length < count && walk.budget.left > 0)
        items.push(placeholder(schema.items, walk, depth + 1));
      return items;
    }
    case 'number':
    case 'integer':
      return numberPlaceholder(schema, type === 'integer');
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'string': {
      const text = stringPlaceholder(schema, walk.budget.left);
      walk.budget.left -= text.length;
      return text;
    }
    default:
      return null;
  }
}

function fillObject(
  schema: SchemaObject,
  path: string,
  walk: Walk,
  depth: number,
  silent = false,
): Record<string, unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(properties)) {
    const childPath = `${path}/${key}`;
    const value = silent ? none : fillValue(child, key, childPath, walk, depth);
    if (value !== none) {
      result[key] = value;
      if (!isObject(value)) walk.filled++;
    } else if (required.has(key)) {
      result[key] = placeholder(child, walk, depth);
      walk.placeholders++;
      if (!silent)
        walk.warnings.push(`heuristic: ${childPath} not found in the prompt; a placeholder was used`);
    } else if (!silent) {
      walk.warnings.push(`heuristic: ${childPath} left out; nothing in the prompt matches it`);
    }
  }
  // Required names without a property schema still need a value to validate.
  for (const key of required) if (!(key in result)) result[key] = null;
  return result;
}

export function fillCustomSchema(schema: JsonSchema, context: FillContext): FillResult {
  const root = isObject(schema) ? schema : {};
  const walk: Walk = {
    root,
    context,
    warnings: [],
    filled: 0,
    placeholders: 0,
    budget: { left: answerBudget },
  };
  const name = typeof root.title === 'string' ? nameWords(root.title).join('_') : '';
  let value = fillValue(root, name, '', walk, 0);
  if (value === none) {
    value = placeholder(root, walk, 0);
    walk.placeholders++;
    walk.warnings.push('heuristic: the answer could not be derived from the prompt; a placeholder was used');
  }
  return { value, warnings: walk.warnings, filled: walk.filled, placeholders: walk.placeholders };
}
