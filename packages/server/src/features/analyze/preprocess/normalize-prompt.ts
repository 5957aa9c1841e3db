/**
 * Canonical form of a user prompt, used for the model call and the cache key, so that prompts
 * that differ only in invisible ways hit the same cache entry.
 *
 * Decisions:
 * - Unicode NFC, so "é" typed as one code point or as "e" + combining accent is the same prompt.
 * - Line structure is kept: prompts carry code, lists and tables where a newline is meaning, so
 *   CRLF/CR/U+2028/U+2029 become "\n", lines lose trailing blanks and three or more line breaks
 *   shrink to one blank line (paragraphs survive).
 * - Leading indentation of each line is kept for the same reason (Python in a prompt must still
 *   parse); inside a line any run of horizontal white space (tabs, NBSP, ideographic space …)
 *   becomes one ASCII space.
 * - Invisible characters that carry no meaning are dropped (zero-width space, word joiner, BOM,
 *   C0/C1 controls other than tab and newline). ZWJ/ZWNJ stay: they shape emoji and Indic/Persian text.
 * - The whole text is trimmed.
 */

// Controls except \t (09) and \n (0A); \r is mapped to \n before this runs.
const invisible = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u2060\uFEFF]/g;
const lineBreaks = /\r\n?|[\u0085\u2028\u2029]/g;
// Horizontal white space: every Unicode space separator plus tab; never \n.
const horizontalRun = /[\t\p{Zs}]+/gu;
const leadingIndent = /^[\t ]*/;

export function normalizePrompt(prompt: string): string {
  const unified = prompt.normalize('NFC').replace(lineBreaks, '\n').replace(invisible, '');
  const lines = unified.split('\n').map((line) => {
    const indent = leadingIndent.exec(line)?.[0] ?? '';
    const body = line.slice(indent.length).replace(horizontalRun, ' ').trimEnd();
    return body === '' ? '' : indent + body;
  });
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
