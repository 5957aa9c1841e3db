import type { JsonValue } from '@structured-prompt/gateway';
import { settleValue } from './parse/choose-value.ts';
import { candidatesOf, topLevelSpans } from './parse/json-spans.ts';
import type { FoundValue, Repair, SchemaCheck, SettledValue } from './parse/parse-types.ts';
import { repairSyntax } from './parse/syntax-repair.ts';

export type { Repair, SchemaCheck } from './parse/parse-types.ts';

export type LenientParseResult =
  | ({
      ok: true;
      /** True when the text was not one JSON value as it stood, or the value had to be coerced. */
      repaired: boolean;
    } & SettledValue)
  | { ok: false; reason: string };

/** Beyond this a model answer is not plausible and repairing it only burns CPU. */
const maxInputChars = 2_000_000;

/** Text that starts like a JSON value; anything else is prose, which jsonrepair would turn into a string. */
const jsonStart = /^\s*(?:[{[("'“‘\d-]|(?:true|false|null|True|False|None)\b)/;

/**
 * Finds the JSON in a model's answer and reads it the way the schema asks:
 * 1. the answer as is, inside a Markdown code fence, or between the prose around it;
 * 2. when the JSON itself is malformed, its syntax repaired (parse/syntax-repair.ts);
 * 3. when the answer holds several values, the one that validates, or their merge (parse/choose-value.ts);
 * 4. with a schema, mismatched scalars coerced when that makes the value validate (parse/coerce.ts).
 * Every step is recorded in `repairs` or `coercions`. Never throws: any failure, including stack
 * exhaustion on absurd nesting, is `ok: false`.
 */
export function lenientParse(text: string, check?: SchemaCheck): LenientParseResult {
  try {
    if (typeof text !== 'string') return { ok: false, reason: 'the answer is not text' };
    if (text.length > maxInputChars)
      return { ok: false, reason: `the answer exceeds ${maxInputChars} characters` };
    const found = findValues(text.replace(/^\uFEFF/, ''));
    if (found.length === 0) {
      return {
        ok: false,
        reason: text.trim() === '' ? 'the answer is empty' : 'no JSON value found in the answer',
      };
    }
    const settled = settleValue(found, check);
    return { ok: true, repaired: settled.repairs.length + settled.coercions.length > 0, ...settled };
  } catch (error) {
    return { ok: false, reason: `the answer could not be parsed (${(error as Error)?.name ?? 'error'})` };
  }
}

/** The JSON values in the answer: usually one; several when they stand side by side. */
function findValues(text: string): FoundValue[] {
  // The common case, a model in JSON mode answering exactly one value: nothing to search.
  const direct = tryParse(text);
  if (direct !== undefined) return [{ value: direct, repairs: [], wellFormed: true }];
  const spans = topLevelSpans(text);
  if (spans.length > 1) {
    const values = spans.flatMap((span) => readSpan(span) ?? []);
    if (values.length > 1) return values;
  }
  const single = readSingle(text);
  return single === undefined ? [] : [single];
}

/** One of several values side by side. Bracketed prose (`[note]`, `{name}`) is not counted. */
function readSpan(span: string): FoundValue | undefined {
  const value = tryParse(span);
  if (value !== undefined) return { value, repairs: [], wellFormed: true };
  if (!/[:,"']/.test(span)) return undefined;
  const repaired = repairSyntax(span);
  return repaired === undefined
    ? undefined
    : { value: repaired.value, repairs: syntax(repaired.defects), wellFormed: false };
}

/**
 * The one value of an answer: the candidates (parse/json-spans.ts) as they stand, then repaired;
 * extracted candidates before the whole answer, since jsonrepair would turn prose into strings.
 */
function readSingle(text: string): FoundValue | undefined {
  const candidates = candidatesOf(text);
  for (const candidate of candidates) {
    const value = tryParse(candidate.text);
    if (value !== undefined) return { value, repairs: extraction(candidate.extraction), wellFormed: true };
  }
  for (const candidate of [...candidates.slice(1), candidates[0]!]) {
    if (!candidate.repairable || !jsonStart.test(candidate.text)) continue;
    const repaired = repairSyntax(candidate.text);
    if (repaired === undefined) continue;
    return {
      value: repaired.value,
      repairs: [...extraction(candidate.extraction), ...syntax(repaired.defects)],
      wellFormed: false,
    };
  }
  return undefined;
}

function tryParse(text: string): JsonValue | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return undefined;
  }
}

function extraction(description: string | undefined): Repair[] {
  return description === undefined ? [] : [{ kind: 'extraction', description }];
}

function syntax(defects: readonly string[]): Repair[] {
  return defects.map((description) => ({ kind: 'syntax', description }));
}
