import type { FieldError } from '@structured-prompt/contracts';
import type { JsonSchema, JsonValue } from '@structured-prompt/gateway';

/**
 * What the parser had to do to an answer. `extraction` only cut the JSON out of a fence or prose;
 * `syntax` changed the JSON text; `selection` picked one of several values; `merge` joined them.
 */
export interface Repair {
  kind: 'extraction' | 'syntax' | 'selection' | 'merge';
  description: string;
}

/** The schema an answer is read against, and its compiled validator. */
export interface SchemaCheck {
  schema: JsonSchema;
  validate(value: unknown): FieldError[];
}

/** One JSON value found in an answer, with what it took to read it. */
export interface FoundValue {
  value: JsonValue;
  repairs: Repair[];
  /** Parsed as it stood (possibly cut out of prose), without syntax repairs. */
  wellFormed: boolean;
}

/** The value the parser settled on. */
export interface SettledValue extends FoundValue {
  /** Schema-aligned coercions applied, one line each; empty without a schema. */
  coercions: string[];
  /** The value's validation errors against the schema; empty without a schema. */
  errors: FieldError[];
}
