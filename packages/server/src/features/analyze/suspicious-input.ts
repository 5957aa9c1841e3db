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

export const suspiciousPatterns: ReadonlyArray<{ kind: SuspiciousFinding['kind']; pattern: RegExp }> = [
  { kind: 'script_tag', pattern: /<\s*script\b[^>]*>/i },
  { kind: 'javascript_url', pattern: /\bjavascript\s*:/i },
  { kind: 'event_handler', pattern: /<[^>]+\son(?:error|load|click|mouseover|focus)\s*=/i },
  // Classic tautologies, stacked statements and UNION-based extraction.
  { kind: 'sql_injection', pattern: /'\s*(?:or|and)\s+'?\d+'?\s*=\s*'?\d+/i },
  {
    kind: 'sql_injection',
    pattern: /;\s*(?:drop|delete|truncate|alter|insert|update)\s+(?:table|from|into|database)\b/i,
  },
  { kind: 'sql_injection', pattern: /\bunion\s+(?:all\s+)?select\b/i },
  { kind: 'sql_injection', pattern: /'\s*;?\s*--\s*$/m },
  { kind: 'template_injection', pattern: /\{\{\s*[\w.]*(?:constructor|__proto__|process|require)\b/i },
];

/**
 * Nothing above can match without one of these: `<`, `'`, `;`, `{{`, "javascript" or "union" (a
 * property test holds every pattern to it). Most prompts contain none, so one scan for them spares
 * the eight scans of the patterns on every request.
 */
export const suspiciousTrigger = /[<';]|\{\{|javascript|union/i;

/** Finds suspicious shapes in a text. Bounded work: each pattern is linear and runs once. */
export function detectSuspiciousInput(text: string): SuspiciousFinding[] {
  if (!suspiciousTrigger.test(text)) return [];
  const findings: SuspiciousFinding[] = [];
  const seen = new Set<string>();
  for (const { kind, pattern } of suspiciousPatterns) {
    const match = pattern.exec(text);
    if (!match || seen.has(kind)) continue;
    seen.add(kind);
    const start = Math.max(0, match.index - 20);
    findings.push({ kind, excerpt: text.slice(start, match.index + match[0].length + 20) });
  }
  return findings;
}
