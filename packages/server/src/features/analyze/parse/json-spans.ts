import { tokens } from './jsonish-tokens.ts';

export interface Candidate {
  text: string;
  /** How the candidate was cut out of the answer; empty for the answer as a whole. */
  extraction?: 'extracted from a code fence' | 'extracted from surrounding text';
  /** Worth repairing; some candidates are only good as they stand. */
  repairable: boolean;
}

/** Spans looked at in one answer at most; more values than this is not an answer. */
const maxSpans = 16;

/**
 * The objects and arrays that stand side by side at the top level of an answer (`{…}[…]`, two
 * objects, one value per line), skipping prose between them. A span that is never closed runs to the
 * end of the text (the answer was cut off).
 */
export function topLevelSpans(text: string): string[] {
  const spans: string[] = [];
  let from = 0;
  while (spans.length < maxSpans) {
    const open = text.slice(from).search(/[{[]/);
    if (open < 0) break;
    const start = from + open;
    const end = spanEnd(text, start);
    spans.push(text.slice(start, end));
    from = end;
  }
  return spans;
}

/** End (exclusive) of the object or array starting at `start`, aware of strings; the text end when unbalanced. */
function spanEnd(text: string, start: number): number {
  let depth = 0;
  for (const token of tokens(text, start)) {
    if (token.kind === 'open' && token.text !== '(') depth += 1;
    else if (token.kind === 'close' && token.text !== ')') {
      depth -= 1;
      if (depth === 0) return token.start + 1;
    }
  }
  return text.length;
}

/** Places one JSON value may be, most literal first, duplicates removed. */
export function candidatesOf(text: string): Candidate[] {
  const candidates: Candidate[] = [{ text, repairable: true }];
  const fence = 'extracted from a code fence';
  const prose = 'extracted from surrounding text';
  const openings = [...text.matchAll(/```[ \t]*[\w+-]*[ \t]*\r?\n?/g)];
  const first = openings[0];
  if (first !== undefined) {
    const start = first.index + first[0].length;
    const closings = [...text.slice(start).matchAll(/\r?\n?[ \t]*```/g)].map((match) => start + match.index);
    // Nearest closing fence first; the last one too, in case the JSON holds ``` in a string.
    for (const end of [closings[0], closings.at(-1)]) {
      if (end !== undefined)
        candidates.push({ text: text.slice(start, end), extraction: fence, repairable: true });
    }
    // An unclosed fence: the answer was cut off inside it.
    const rest = text.slice(start).replace(/`+\s*$/, '');
    candidates.push({ text: rest, extraction: fence, repairable: true });
  }
  const open = text.search(/[{[]/);
  if (open >= 0) {
    candidates.push({ text: text.slice(open, spanEnd(text, open)), extraction: prose, repairable: true });
    // First to last bracket: catches JSON whose brackets inside strings confuse the scan, but when it
    // does not parse as is it is usually a cut-off answer clipped further, so it is never repaired.
    const last = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (last > open)
      candidates.push({ text: text.slice(open, last + 1), extraction: prose, repairable: false });
  }
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (seen.has(candidate.text)) return false;
    seen.add(candidate.text);
    return true;
  });
}
