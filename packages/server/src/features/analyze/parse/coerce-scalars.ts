import { createRequire } from 'node:module';
import type { JsonValue } from '@structured-prompt/gateway';
import { matchesType } from './schema-view.ts';

// date-fns's CommonJS build, one entry point per function: Node 24 holds about 90 MB of heap after
// loading the ES module graph of `date-fns/parse` and 3 MB after loading its CommonJS files
// (docs/architecture/0046-date-fns-through-commonjs.md).
const require = createRequire(import.meta.url);
const { format } = require('date-fns/format') as typeof import('date-fns/format');
const { isValid } = require('date-fns/isValid') as typeof import('date-fns/isValid');
const { parse } = require('date-fns/parse') as typeof import('date-fns/parse');

/** A value read as another JSON type, or undefined when it cannot be read so without guessing. */
export function convertType(value: JsonValue, type: string): JsonValue | undefined {
  switch (type) {
    case 'number':
    case 'integer': {
      const number = typeof value === 'string' ? readNumber(value) : undefined;
      return number !== undefined && matchesType(number, type) ? number : undefined;
    }
    case 'string':
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'boolean':
      return readBoolean(value);
    case 'null':
      return typeof value === 'string' && /^\s*(?:null|none)\s*$/i.test(value) ? null : undefined;
    case 'object':
    case 'array':
      return readEmbeddedJson(value, type);
    default:
      return undefined;
  }
}

/** `"42"`, `" -3.5 "`, `"1e3"`, `"82_461_110"`, `"$1,234,567.5"`, `"1/3"`; not `"42 apples"` or `"0x1F"`. */
function readNumber(text: string): number | undefined {
  // A currency sign before an amount says nothing the schema's number would keep.
  const trimmed = text.trim().replace(/^(-?)[$€£¥]\s?/, '$1');
  const plain = /^-?(?:\d+(?:[_,]\d{3})*|\d+(?:_\d+)+)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
  if (plain.test(trimmed)) {
    const number = Number(trimmed.replaceAll(/[_,]/g, ''));
    return Number.isFinite(number) ? number : undefined;
  }
  const ratio = /^(-?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(trimmed);
  if (ratio === null || Number(ratio[2]) === 0) return undefined;
  return Number(ratio[1]) / Number(ratio[2]);
}

const booleanWords: Record<string, boolean> = { true: true, false: false, yes: true, no: false };

function readBoolean(value: JsonValue): boolean | undefined {
  if (typeof value === 'string') return booleanWords[value.trim().toLowerCase()];
  if (value === 1 || value === 0) return value === 1;
  return undefined;
}

/** A JSON object or array that arrived encoded as a string: `"{\"a\": 1}"`. */
function readEmbeddedJson(value: JsonValue, type: 'object' | 'array'): JsonValue | undefined {
  if (typeof value !== 'string' || !/^\s*[{[]/.test(value)) return undefined;
  try {
    const parsed = JSON.parse(value) as JsonValue;
    return matchesType(parsed, type) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Lower case, accents and separators folded, surrounding punctuation dropped. */
function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replaceAll(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replaceAll(/[\s_-]+/g, ' ')
    .replaceAll(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/**
 * The one allowed string a text means: equal once case, accents and separators are folded, or else
 * the only allowed value found as whole words in it ("The intent is Translate."). Undefined when
 * none or several match, so an ambiguous answer is re-asked instead of guessed.
 */
export function matchEnumText(text: string, allowed: readonly unknown[]): string | undefined {
  const options = allowed.filter((option): option is string => typeof option === 'string');
  const folded = foldText(text);
  if (folded === '') return undefined;
  const equal = options.filter((option) => foldText(option) === folded);
  if (equal.length === 1) return equal[0];
  if (equal.length > 1) return undefined;
  const words = ` ${folded.replaceAll(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const contained = options.filter((option) => {
    const needle = foldText(option).replaceAll(/[^\p{L}\p{N}]+/gu, ' ');
    return needle !== '' && words.includes(` ${needle} `);
  });
  return contained.length === 1 ? contained[0] : undefined;
}

export const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Formats a model plausibly writes a calendar date in; day-first and month-first both listed. */
const dateFormats = [
  'yyyy/M/d',
  'yyyy.M.d',
  'yyyy-M-d',
  'M/d/yyyy',
  'd/M/yyyy',
  'd.M.yyyy',
  'd-M-yyyy',
  'M-d-yyyy',
  'MMMM d, yyyy',
  'MMMM do, yyyy',
  'MMM d, yyyy',
  'MMM. d, yyyy',
  'MMMM d yyyy',
  'd MMMM yyyy',
  'do MMMM yyyy',
  'd MMM yyyy',
  "do 'of' MMMM yyyy",
  'EEEE, MMMM d, yyyy',
  'EEE, MMM d, yyyy',
  'EEEE, d MMMM yyyy',
  'EEE, d MMM yyyy',
];

/**
 * An ISO `yyyy-mm-dd` date from another common spelling, or from an ISO date-time (its date part as
 * written, no time-zone shift). Undefined when the text fits none, or reads as two different dates
 * (`03/04/2024`: March or April).
 */
export function readDate(text: string): string | undefined {
  // A remark after the date, "2024-03-15 (Friday)", is not part of it.
  const trimmed = text.trim().replace(/\s*\([^()]*\)$/, '');
  const dateTime = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}/.exec(trimmed);
  if (dateTime !== null || isoDate.test(trimmed))
    return isValidIsoDate(dateTime?.[1] ?? trimmed) ? (dateTime?.[1] ?? trimmed) : undefined;
  const readings = new Set<string>();
  const reference = new Date(2000, 0, 1);
  for (const pattern of dateFormats) {
    const date = parse(trimmed, pattern, reference);
    if (isValid(date) && date.getFullYear() >= 1000) readings.add(format(date, 'yyyy-MM-dd'));
  }
  return readings.size === 1 ? [...readings][0] : undefined;
}

function isValidIsoDate(text: string): boolean {
  return isValid(parse(text, 'yyyy-MM-dd', new Date(2000, 0, 1)));
}
