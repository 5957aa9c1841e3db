import type { ValidationStatus } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import type { Repair } from './lenient-parse.ts';
import { isPlainObject } from './schema-walk.ts';

/**
 * The confidence formula (docs/analyze.md, "Confidence"). Every factor is at most 1, so each piece of
 * bad news can only lower the score:
 *
 *   confidence = min(cap, base(status) × 0.85^(attempts − 1) × repair × coercion × (0.85 + 0.15 × completeness) × probability)
 *
 * The repair and coercion figures are argued in docs/architecture/0042-schema-aware-lenient-parsing.md.
 */
const confidenceWeights = {
  base: { passed: 1, passed_relaxed: 0.6, skipped: 0.7, failed: 0.3 } satisfies Record<
    ValidationStatus,
    number
  >,
  /** Per re-ask that was needed. */
  reask: 0.85,
  /** The answer was wrapped in a code fence or prose, but the JSON itself was well-formed. */
  extractedOnly: 0.95,
  /** The JSON itself had to be repaired (quotes, commas, truncation…). */
  syntaxRepaired: 0.8,
  /** One of several values in the answer was picked because it validates. */
  selected: 0.9,
  /** Several values in the answer were joined into one. */
  merged: 0.85,
  /** Per value read as another type, enum spelling or date format. */
  coercion: 0.9,
  /** However many coercions, their factor stays above this: a coerced answer still validated. */
  coercionFloor: 0.6,
  /** Share of the score that depends on filling the optional fields. */
  completeness: 0.15,
} as const;

export interface ConfidenceInput {
  status: ValidationStatus;
  /** Model calls made, the first one included. */
  attempts: number;
  /** Repairs the lenient parser made to the accepted answer. */
  repairs: readonly Repair[];
  /** Schema-aligned coercions applied to the accepted answer. */
  coercions?: readonly string[];
  data: unknown;
  schema: JsonSchema;
  /** Mean per-token probability from the provider, when it reports log-probabilities. */
  tokenProbability?: number;
  /** Upper bound set by the provider (the offline analyzer caps its own confidence). */
  confidenceCap?: number;
}

export function scoreConfidence(input: ConfidenceInput): number {
  const weights = confidenceWeights;
  let score = weights.base[input.status];
  score *= weights.reask ** Math.max(0, input.attempts - 1);
  score *= repairFactor(input.repairs);
  const coercions = input.coercions?.length ?? 0;
  score *= Math.max(weights.coercionFloor, weights.coercion ** coercions);
  const completeness = optionalFieldCompleteness(input.schema, input.data);
  score *= 1 - weights.completeness + weights.completeness * completeness;
  if (input.tokenProbability !== undefined && Number.isFinite(input.tokenProbability)) {
    score *= 0.5 + 0.5 * clamp(input.tokenProbability);
  }
  if (input.confidenceCap !== undefined && Number.isFinite(input.confidenceCap)) {
    score = Math.min(score, input.confidenceCap);
  }
  return Math.round(clamp(score) * 1000) / 1000;
}

/** Syntax repair outweighs extraction; picking or merging values is a further, separate doubt. */
function repairFactor(repairs: readonly Repair[]): number {
  const weights = confidenceWeights;
  const kinds = new Set(repairs.map((repair) => repair.kind));
  let factor = kinds.has('syntax')
    ? weights.syntaxRepaired
    : kinds.has('extraction')
      ? weights.extractedOnly
      : 1;
  if (kinds.has('selection')) factor *= weights.selected;
  if (kinds.has('merge')) factor *= weights.merged;
  return factor;
}

/**
 * Share (0–1) of the optional properties the answer filled, counted in every object the answer
 * contains whose schema lists `properties` directly (properties behind `$ref` or combinators are not
 * counted). `null` and `""` count as not filled. 1 when the schema has no optional properties.
 */
export function optionalFieldCompleteness(schema: JsonSchema, data: unknown): number {
  const tally = { optional: 0, filled: 0 };
  countFields(schema, data, tally, 0);
  return tally.optional === 0 ? 1 : tally.filled / tally.optional;
}

function countFields(
  schema: unknown,
  data: unknown,
  tally: { optional: number; filled: number },
  depth: number,
): void {
  // Data nests at most as deep as the schema that was validated; the bound is only a safety net.
  if (depth > 64 || !isPlainObject(schema)) return;
  if (Array.isArray(data)) {
    if (isPlainObject(schema.items))
      for (const item of data) countFields(schema.items, item, tally, depth + 1);
    return;
  }
  if (!isPlainObject(data) || !isPlainObject(schema.properties)) return;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [name, propertySchema] of Object.entries(schema.properties)) {
    const value = Object.hasOwn(data, name) ? data[name] : undefined;
    const filled = value !== undefined && value !== null && value !== '';
    if (!required.has(name)) {
      tally.optional += 1;
      if (filled) tally.filled += 1;
    }
    if (filled) countFields(propertySchema, value, tally, depth + 1);
  }
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
