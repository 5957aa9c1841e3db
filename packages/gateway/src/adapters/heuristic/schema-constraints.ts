/**
 * Whether a value the analyzer found satisfies a schema's own constraints, and the type-valid
 * placeholder used when a required value is not in the prompt. A value that would fail validation
 * is not used: the filler would rather report a property as missing than send an answer that
 * bounces off the validator.
 */
import { compileSchemaPattern } from '../../spec/schema-pattern.ts';

export type SchemaObject = { [keyword: string]: unknown };

export const none = Symbol('none');

// Shapes of the common `format`s, strict enough that a value passing here passes ajv-formats.
const formats: Record<string, RegExp> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/u,
  'idn-email': /^[^\s@]+@[^\s@]+\.[^\s@]+$/u,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i,
  time: /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  iri: /^[a-z][a-z0-9+.-]*:[^\s]*$/i,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  ipv4: /^(?:\d{1,3}\.){3}\d{1,3}$/,
};

export function fitsString(value: string, schema: SchemaObject): string | typeof none {
  let result = value;
  if (typeof schema.maxLength === 'number' && result.length > schema.maxLength) {
    result = result.slice(0, schema.maxLength);
  }
  if (typeof schema.minLength === 'number' && result.length < schema.minLength) return none;
  const format = typeof schema.format === 'string' ? formats[schema.format] : undefined;
  if (format && !format.test(result)) return none;
  if (typeof schema.pattern === 'string') {
    try {
      // On the linear-time engine: the pattern is the caller's, the text may be long.
      if (!compileSchemaPattern(schema.pattern).test(result)) return none;
    } catch {
      return none;
    }
  }
  return result;
}

export function fitsNumber(value: number, schema: SchemaObject, integer: boolean): number | typeof none {
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) return none;
  if (typeof schema.minimum === 'number' && value < schema.minimum) return none;
  if (typeof schema.maximum === 'number' && value > schema.maximum) return none;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return none;
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) return none;
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
    const ratio = value / schema.multipleOf;
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9) return none;
  }
  return value;
}

/** The value closest to 0 that satisfies the bounds (and `multipleOf` when it can). */
export function numberPlaceholder(schema: SchemaObject, integer: boolean): number {
  const step =
    typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : 0;
  const bound = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const strictGap = step || 1e-6;
  const lowInclusive = bound(schema.minimum);
  const lowExclusive = bound(schema.exclusiveMinimum);
  const highInclusive = bound(schema.maximum);
  const highExclusive = bound(schema.exclusiveMaximum);
  const low = Math.max(
    lowInclusive ?? -Infinity,
    lowExclusive === undefined ? -Infinity : lowExclusive + strictGap,
  );
  const high = Math.min(
    highInclusive ?? Infinity,
    highExclusive === undefined ? Infinity : highExclusive - strictGap,
  );
  let value = Math.min(Math.max(0, low), high);
  if (step) {
    // Move onto the grid of multiples, staying inside the bounds.
    value = Math.ceil(value / step - 1e-9) * step;
    if (value > high) value = Math.floor(high / step + 1e-9) * step;
  }
  return Number(value.toFixed(10));
}

const formatPlaceholders: Record<string, string> = {
  date: '1970-01-01',
  'date-time': '1970-01-01T00:00:00Z',
  time: '00:00:00Z',
  email: 'unknown@example.invalid',
  'idn-email': 'unknown@example.invalid',
  uri: 'about:blank',
  iri: 'about:blank',
  uuid: '00000000-0000-0000-0000-000000000000',
  ipv4: '0.0.0.0',
};

/**
 * Empty, or the format's neutral value; padded to `minLength` only where padding keeps it valid, and
 * never beyond `maxChars` (a `minLength` of 3e8 does not allocate 300 million characters).
 */
export function stringPlaceholder(schema: SchemaObject, maxChars: number): string {
  const base = formatPlaceholders[schema.format as string] ?? '';
  const wanted =
    typeof schema.minLength === 'number' && Number.isFinite(schema.minLength) ? schema.minLength : 0;
  const minimum = Math.max(0, Math.min(wanted, maxChars));
  if (base.length >= minimum) return base;
  if (base.includes('@')) return `${'x'.repeat(minimum - base.length)}${base}`;
  return base || '?'.repeat(minimum);
}
