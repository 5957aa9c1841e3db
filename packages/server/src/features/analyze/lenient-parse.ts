import type { JsonValue } from '@structured-prompt/gateway';
import { jsonrepair } from 'jsonrepair';

export type LenientParseResult =
  | {
      ok: true;
      value: JsonValue;
      /** True when the text was not one JSON value as it stood. */
      repaired: boolean;
      /** What had to be done, in order: extraction first, then syntax repairs. */
      repairs: string[];
    }
  | { ok: false; reason: string };

/** Repairs that only removed wrapping; the JSON itself was well-formed. */
export const extractionRepairs: ReadonlySet<string> = new Set([
  'extracted from a code fence',
  'extracted from surrounding text',
]);

/** Beyond this a model answer is not plausible and repairing it only burns CPU. */
const maxInputChars = 2_000_000;

interface Candidate {
  text: string;
  repairs: string[];
  /** Worth handing to jsonrepair; some candidates are only good as they stand. */
  repairable: boolean;
}

/** Text that starts like a JSON value; anything else is prose, which jsonrepair would turn into a string. */
const jsonStart = /^\s*(?:[{["'\d-]|true\b|false\b|null\b)/;

/**
 * Finds the JSON value in a model's answer: as is, inside a Markdown code fence, or between the prose
 * a model puts around it; then, if none of those parse, repairs the syntax models commonly get wrong
 * (trailing commas, single quotes, comments, unquoted keys, output cut off at the token limit) with
 * jsonrepair. Never throws: any failure, including stack exhaustion on absurd nesting, is `ok: false`.
 */
export function lenientParse(text: string): LenientParseResult {
  try {
    if (typeof text !== 'string') return { ok: false, reason: 'the answer is not text' };
    if (text.length > maxInputChars)
      return { ok: false, reason: `the answer exceeds ${maxInputChars} characters` };
    const bare = text.replace(/^\uFEFF/, '');
    // The common case, a model in JSON mode answering exactly one value: no candidates to build.
    const direct = tryParse(bare);
    if (direct !== undefined) return { ok: true, value: direct.parsed, repaired: false, repairs: [] };
    const candidates = candidatesOf(bare);
    for (const candidate of candidates) {
      const value = tryParse(candidate.text);
      if (value !== undefined) {
        return {
          ok: true,
          value: value.parsed,
          repaired: candidate.repairs.length > 0,
          repairs: candidate.repairs,
        };
      }
    }
    // Repair the extracted candidates before the whole answer: jsonrepair would happily turn the
    // prose around the JSON into strings.
    for (const candidate of [...candidates.slice(1), candidates[0]!]) {
      if (!candidate.repairable || !jsonStart.test(candidate.text)) continue;
      let repairedText: string;
      try {
        repairedText = jsonrepair(candidate.text);
      } catch {
        continue;
      }
      const value = tryParse(repairedText);
      if (value === undefined) continue;
      return {
        ok: true,
        value: value.parsed,
        repaired: true,
        repairs: [...candidate.repairs, ...describeSyntaxRepairs(candidate.text)],
      };
    }
    return {
      ok: false,
      reason: text.trim() === '' ? 'the answer is empty' : 'no JSON value found in the answer',
    };
  } catch (error) {
    return { ok: false, reason: `the answer could not be parsed (${(error as Error)?.name ?? 'error'})` };
  }
}

function tryParse(text: string): { parsed: JsonValue } | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return { parsed: JSON.parse(trimmed) as JsonValue };
  } catch {
    return undefined;
  }
}

/** Places the JSON may be, most literal first; duplicates removed. */
function candidatesOf(text: string): Candidate[] {
  const candidates: Candidate[] = [{ text, repairs: [], repairable: true }];
  const fence = ['extracted from a code fence'];
  const prose = ['extracted from surrounding text'];
  const openings = [...text.matchAll(/```[ \t]*[\w+-]*[ \t]*\r?\n?/g)];
  const first = openings[0];
  if (first !== undefined) {
    const start = first.index + first[0].length;
    const closings = [...text.slice(start).matchAll(/\r?\n?[ \t]*```/g)].map((match) => start + match.index);
    // Nearest closing fence first; the last one too, in case the JSON holds ``` in a string.
    for (const end of [closings[0], closings.at(-1)]) {
      if (end !== undefined)
        candidates.push({ text: text.slice(start, end), repairs: fence, repairable: true });
    }
    // An unclosed fence: the answer was cut off inside it.
    candidates.push({ text: text.slice(start).replace(/`+\s*$/, ''), repairs: fence, repairable: true });
  }
  const open = text.search(/[{[]/);
  if (open >= 0) {
    const end = balancedEnd(text, open);
    candidates.push({ text: text.slice(open, end), repairs: prose, repairable: true });
    // First to last bracket: catches JSON whose brackets inside strings confuse the scan, but when it
    // does not parse as is it is usually a cut-off answer clipped further, so it is never repaired.
    const last = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (last > open) candidates.push({ text: text.slice(open, last + 1), repairs: prose, repairable: false });
  }
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (seen.has(candidate.text)) return false;
    seen.add(candidate.text);
    return true;
  });
}

/** End (exclusive) of the object/array starting at `start`, aware of strings; text end when unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return text.length;
}

/**
 * Names the defects jsonrepair fixed, for the response's record and the confidence score. A scan
 * outside double-quoted strings; approximate by design (jsonrepair does not report what it did).
 */
function describeSyntaxRepairs(text: string): string[] {
  const found = new Set<string>();
  const stack: string[] = [];
  let quote: string | undefined;
  let lastSignificant = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote !== undefined) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") {
      if (char === "'") found.add('replaced single quotes');
      quote = char;
      lastSignificant = char;
      continue;
    }
    if (char === '/' && (text[index + 1] === '/' || text[index + 1] === '*')) {
      found.add('removed comments');
      const end = text[index + 1] === '/' ? text.indexOf('\n', index) : text.indexOf('*/', index + 2);
      index = end < 0 ? text.length : end + (text[index + 1] === '*' ? 1 : 0);
      continue;
    }
    if (char === '{' || char === '[') stack.push(char);
    else if (char === '}' || char === ']') {
      if (lastSignificant === ',') found.add('removed trailing commas');
      stack.pop();
    } else if (/[A-Za-z_$]/.test(char) && (lastSignificant === '{' || lastSignificant === ',')) {
      const rest = /^[A-Za-z_$][\w$]*\s*:/.exec(text.slice(index, index + 200));
      if (rest !== null && stack.at(-1) === '{') found.add('quoted unquoted keys');
    }
    if (!/\s/.test(char)) lastSignificant = char;
  }
  if (quote !== undefined || stack.length > 0) found.add('completed truncated output');
  return found.size > 0 ? [...found] : ['repaired malformed JSON'];
}
