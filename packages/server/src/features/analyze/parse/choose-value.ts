import type { JsonValue } from '@structured-prompt/gateway';
import { isPlainObject } from '../schema-walk.ts';
import { coerceToSchema } from './coerce.ts';
import type { FoundValue, Repair, SchemaCheck, SettledValue } from './parse-types.ts';

/**
 * The one value to answer with. One value: it, coerced to the schema when that makes it validate.
 * Several: the first that validates as it is, else their merge when that validates (the model split
 * one answer), else the first that validates once coerced, else the merge once coerced, else the one
 * with the fewest errors. Without a schema, the first well-formed value.
 */
export function settleValue(found: readonly FoundValue[], check: SchemaCheck | undefined): SettledValue {
  if (found.length === 1) return settleOne(found[0]!, check);
  if (check === undefined) {
    const index = Math.max(
      0,
      found.findIndex((candidate) => candidate.wellFormed),
    );
    return { ...picked(found, index, 'the first well-formed one'), coercions: [], errors: [] };
  }
  return chooseAmong(found, check);
}

function settleOne(found: FoundValue, check: SchemaCheck | undefined): SettledValue {
  if (check === undefined) return { ...found, coercions: [], errors: [] };
  const errors = check.validate(found.value);
  if (errors.length === 0) return { ...found, coercions: [], errors };
  return coercedToValid(found, check) ?? { ...found, coercions: [], errors };
}

/** The value coerced to the schema, only when the coerced value validates. */
function coercedToValid(found: FoundValue, check: SchemaCheck): SettledValue | undefined {
  const result = coerceToSchema(found.value, check.schema);
  if (result.coercions.length === 0) return undefined;
  const errors = check.validate(result.value);
  if (errors.length > 0) return undefined;
  return { ...found, value: result.value, coercions: result.coercions, errors };
}

function chooseAmong(found: readonly FoundValue[], check: SchemaCheck): SettledValue {
  const merges = mergesOf(found);
  // Lists side by side are one list split up, even when each part validates alone.
  const joined = merges.find((merge) => merge.repairs.at(-1)?.description.includes('arrays'));
  if (joined !== undefined && check.validate(joined.value).length === 0)
    return { ...joined, coercions: [], errors: [] };
  const errors = found.map((candidate) => check.validate(candidate.value));
  const valid = errors.findIndex((list) => list.length === 0);
  if (valid >= 0) return { ...picked(found, valid, 'the first that validates'), coercions: [], errors: [] };
  for (const merge of merges) {
    if (check.validate(merge.value).length === 0) return { ...merge, coercions: [], errors: [] };
  }
  for (const [index] of found.entries()) {
    const coerced = coercedToValid(picked(found, index, 'the first that validates once coerced'), check);
    if (coerced !== undefined) return coerced;
  }
  for (const merge of merges) {
    const coerced = coercedToValid(merge, check);
    if (coerced !== undefined) return coerced;
  }
  const fewest = errors.reduce((best, list, index) => (list.length < errors[best]!.length ? index : best), 0);
  return {
    ...picked(found, fewest, 'none validates; this one has the fewest errors'),
    coercions: [],
    errors: errors[fewest]!,
  };
}

function picked(found: readonly FoundValue[], index: number, why: string): FoundValue {
  const chosen = found[index]!;
  const description = `the answer held ${found.length} JSON values; used the ${ordinal(index + 1)}, ${why}`;
  return { ...chosen, repairs: [...chosen.repairs, { kind: 'selection', description }] };
}

/**
 * Ways the values may be one answer split up: objects with distinct keys joined into one object,
 * arrays joined into one array, objects collected into an array (one item per line).
 */
function mergesOf(found: readonly FoundValue[]): FoundValue[] {
  const values = found.map((candidate) => candidate.value);
  const merges: FoundValue[] = [];
  const count = found.length;
  const objects = values.filter((value): value is Record<string, JsonValue> => isPlainObject(value));
  if (objects.length === count) {
    const keys = objects.flatMap((value) => Object.keys(value));
    if (new Set(keys).size === keys.length)
      merges.push(
        merged(
          found,
          Object.fromEntries(objects.flatMap((value) => Object.entries(value))),
          `merged the ${count} JSON objects into one object`,
        ),
      );
    merges.push(merged(found, objects, `collected the ${count} JSON objects into one array`));
  }
  if (values.every(Array.isArray))
    merges.push(merged(found, values.flat(), `joined the ${count} JSON arrays into one array`));
  return merges;
}

function merged(found: readonly FoundValue[], value: JsonValue, description: string): FoundValue {
  const repairs = new Map<string, Repair>();
  for (const repair of found.flatMap((candidate) => candidate.repairs))
    repairs.set(repair.description, repair);
  return {
    value,
    repairs: [
      ...repairs.values(),
      { kind: 'merge', description: `the answer held several values: ${description}` },
    ],
    wellFormed: found.every((candidate) => candidate.wellFormed),
  };
}

function ordinal(position: number): string {
  const suffix = position === 1 ? 'st' : position === 2 ? 'nd' : position === 3 ? 'rd' : 'th';
  return `${position}${suffix}`;
}
