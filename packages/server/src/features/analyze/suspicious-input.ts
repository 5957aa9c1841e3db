import { RE2JS } from 're2js';

/**
 * Shapes of input that are often attacks on whatever consumes the output downstream (an HTML page, a
 * SQL string builder). Prompts legitimately contain code — "why does `<script>` break my page?" — so
 * the default policy only flags: the finding is audited and returned as a warning. An operator (or a
 * key's policy) can choose to block instead.
 */
export interface SuspiciousFinding {
  kind: 'script_tag' | 'javascript_url' | 'event_handler' | 'sql_injection' | 'template_injection';
  /** A short excerpt around the match, for the audit log (never the whole prompt). */
  excerpt: string;
}

/**
 * The shapes, on RE2 (re2js): matching takes time linear in the text whatever it holds. On V8's
 * backtracking engine, `<[^>]+\son…=` retried from every `<` of a prompt made of thousands of them
 * took time quadratic in the prompt; RE2 has no backtracking to retry.
 */
/** ECMAScript's `\s` (RE2's own is ASCII only): so a no-break space still separates `<` and `script`. */
const whitespace = String.raw`[\t\n\x0B\f\r\p{Z}\x{FEFF}]`;

const linear = (source: string) => RE2JS.compile(source.replaceAll(String.raw`\s`, whitespace));

export const suspiciousPatterns: ReadonlyArray<{ kind: SuspiciousFinding['kind']; pattern: RE2JS }> = [
  { kind: 'script_tag', pattern: linear(String.raw`(?i)<\s*script\b[^>]*>`) },
  { kind: 'javascript_url', pattern: linear(String.raw`(?i)\bjavascript\s*:`) },
  {
    kind: 'event_handler',
    pattern: linear(String.raw`(?i)<[^>]+\son(?:error|load|click|mouseover|focus)\s*=`),
  },
  // Classic tautologies, stacked statements and UNION-based extraction.
  { kind: 'sql_injection', pattern: linear(String.raw`(?i)'\s*(?:or|and)\s+'?\d+'?\s*=\s*'?\d+`) },
  {
    kind: 'sql_injection',
    pattern: linear(
      String.raw`(?i);\s*(?:drop|delete|truncate|alter|insert|update)\s+(?:table|from|into|database)\b`,
    ),
  },
  { kind: 'sql_injection', pattern: linear(String.raw`(?i)\bunion\s+(?:all\s+)?select\b`) },
  { kind: 'sql_injection', pattern: linear(String.raw`(?m)'\s*;?\s*--\s*$`) },
  {
    kind: 'template_injection',
    pattern: linear(String.raw`(?i)\{\{\s*[\w.]*(?:constructor|__proto__|process|require)\b`),
  },
];

/**
 * Nothing above can match without one of these: `<`, `'`, `;`, `{{`, "javascript" or "union" (a
 * property test holds every pattern to it). Most prompts contain none, so one scan for them spares
 * the eight scans of the patterns on every request.
 */
export const suspiciousTrigger = linear(String.raw`(?i)[<';]|\{\{|javascript|union`);

/** Finds suspicious shapes in a text. Bounded work: each pattern is linear and runs once. */
export function detectSuspiciousInput(text: string): SuspiciousFinding[] {
  if (!suspiciousTrigger.test(text)) return [];
  const findings: SuspiciousFinding[] = [];
  const seen = new Set<string>();
  for (const { kind, pattern } of suspiciousPatterns) {
    // `test` runs on RE2's DFA; `exec` (for the excerpt's position) only when there is a match.
    if (seen.has(kind) || !pattern.test(text)) continue;
    const match = pattern.exec(text) as RegExpExecArray | null;
    if (!match) continue;
    seen.add(kind);
    const start = Math.max(0, match.index - 20);
    findings.push({ kind, excerpt: text.slice(start, match.index + match[0].length + 20) });
  }
  return findings;
}
