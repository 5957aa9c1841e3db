import type { FieldError, ValidationMode, ValidationStatus } from '@structured-prompt/contracts';
import type { JsonSchema, JsonValue } from '@structured-prompt/gateway';
import type { Repair } from './lenient-parse.ts';
import { coerceToSchema } from './parse/coerce.ts';
import type { Attempt } from './pipeline-attempts.ts';
import { answersTheSchema, deriveRelaxedSchema, isRelaxable } from './relaxed-schema.ts';
import type { ValidatorCache } from './validator-cache.ts';

export interface Outcome {
  status: ValidationStatus;
  data: JsonValue;
  errors: FieldError[];
  repairs: Repair[];
  coercions: string[];
}

interface OutcomeInput {
  validation: ValidationMode;
  schema: JsonSchema;
  schemaHash: string;
}

/** Coercions listed one warning each up to this many; the rest are counted in one more. */
const maxCoercionWarnings = 20;

/**
 * Status of the last answer under the request's mode, with a warning for every repair and coercion
 * it needed; undefined when the request must fail (422).
 */
export function decideOutcome(
  input: OutcomeInput,
  last: Attempt,
  validators: Pick<ValidatorCache, 'get'>,
  warnings: Set<string>,
): Outcome | undefined {
  // Nothing parseable is a failure in every mode: there is no data to return.
  if (!last.parsed.ok) return undefined;
  const { value, repairs, coercions } = last.parsed;
  const asParsed = { data: value, repairs, coercions };
  let outcome: Outcome;
  if (input.validation === 'off') outcome = { status: 'skipped', errors: [], ...asParsed };
  else if (last.errors.length === 0) outcome = { status: 'passed', errors: [], ...asParsed };
  else if (input.validation === 'strict') return undefined;
  else outcome = relaxedOutcome(input, asParsed, last.errors, validators, warnings);
  reportRepairs(outcome, warnings);
  return outcome;
}

/**
 * Relaxed validation: only missing or unexpected fields may be waived, and never for an answer that
 * holds none of the schema's declared properties. Tried on the answer as parsed, then coerced to the
 * schema (coercion is kept only when the coerced answer then passes).
 */
function relaxedOutcome(
  input: OutcomeInput,
  parsed: Omit<Outcome, 'status' | 'errors'>,
  errors: FieldError[],
  validators: Pick<ValidatorCache, 'get'>,
  warnings: Set<string>,
): Outcome {
  const relaxed = validators.get(deriveRelaxedSchema(input.schema));
  const coerced = coerceToSchema(parsed.data, input.schema);
  const tries = [{ ...parsed, errors }];
  if (coerced.coercions.length > 0) {
    const strictErrors = validators.get(input.schema, input.schemaHash).validate(coerced.value);
    tries.push({ ...parsed, data: coerced.value, coercions: coerced.coercions, errors: strictErrors });
  }
  let unrelated = false;
  for (const candidate of tries) {
    if (!isRelaxable(candidate.errors) || relaxed.validate(candidate.data).length > 0) continue;
    if (!answersTheSchema(input.schema, candidate.data)) {
      unrelated = true;
      continue;
    }
    warnings.add(
      `validation passed only in relaxed mode: ${candidate.errors.length} missing or unexpected field(s) were tolerated ` +
        '(see validation.errors)',
    );
    return { status: 'passed_relaxed', ...candidate };
  }
  warnings.add(
    unrelated
      ? "the output holds none of the schema's properties, so relaxed validation does not apply; it is returned as is (see validation.errors)"
      : 'the output does not conform to the schema, even relaxed; it is returned as is (see validation.errors)',
  );
  return { status: 'failed', ...parsed, errors };
}

/** Syntax repairs in one warning, value selection and merging in one each, every coercion in its own. */
function reportRepairs(outcome: Outcome, warnings: Set<string>): void {
  const syntax = outcome.repairs.filter((repair) => repair.kind === 'syntax');
  if (syntax.length > 0)
    warnings.add(`the answer's JSON was repaired: ${syntax.map((repair) => repair.description).join(', ')}`);
  for (const repair of outcome.repairs) {
    if (repair.kind === 'selection' || repair.kind === 'merge') warnings.add(repair.description);
  }
  for (const coercion of outcome.coercions.slice(0, maxCoercionWarnings)) warnings.add(coercion);
  const more = outcome.coercions.length - maxCoercionWarnings;
  if (more > 0) warnings.add(`${more} more value(s) were coerced to the schema`);
}
