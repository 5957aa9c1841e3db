/**
 * A lexer for the JSON-like text models write: JSON plus single, typographic and backtick quotes,
 * `//`, `/* *\/` and `#` comments, parentheses (Python tuples, asides) and bare words (unquoted keys,
 * `True`, `82_461_110`, `1/3`). It never fails; what it cannot classify is an `other` token.
 */
type TokenKind = 'string' | 'comment' | 'open' | 'close' | 'colon' | 'comma' | 'word' | 'space' | 'other';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  /** For strings: the opening quote, and whether its closing quote was found. */
  quote?: string;
  terminated?: boolean;
}

const closingQuote: Record<string, string> = { '"': '"', "'": "'", '`': '`', '“': '”', '‘': '’', '”': '”' };
const punctuation: Record<string, TokenKind> = {
  '{': 'open',
  '[': 'open',
  '(': 'open',
  '}': 'close',
  ']': 'close',
  ')': 'close',
  ':': 'colon',
  ',': 'comma',
};
/** Characters that end a bare word. */
const wordEnd = /[\s{}[\]():,"'`“”‘’]/;

/** Tokens from `from` on, lazily, so a caller may stop at the end of the value it scans. */
export function* tokens(text: string, from = 0): Generator<Token> {
  let index = from;
  while (index < text.length) {
    const token = tokenAt(text, index);
    index += token.text.length;
    yield token;
  }
}

function tokenAt(text: string, start: number): Token {
  const char = text[start]!;
  const kind = punctuation[char];
  if (kind !== undefined) return { kind, text: char, start };
  if (/\s/.test(char))
    return { kind: 'space', text: /^\s+/.exec(text.slice(start, start + 1000))![0], start };
  if (closingQuote[char] !== undefined) return stringAt(text, start, char);
  const comment = commentAt(text, start);
  if (comment !== undefined) return comment;
  let end = start + 1;
  while (end < text.length && !wordEnd.test(text[end]!) && !startsComment(text, end)) end += 1;
  const word = text.slice(start, end);
  return { kind: /^[\w$.+-]/.test(word) ? 'word' : 'other', text: word, start };
}

/**
 * A double-quoted string ends at the next unescaped `"`. Other quotes end only where a JSON string
 * could end (before `,:}])`, a line end or the text end), so `'it's'` stays one string.
 */
function stringAt(text: string, start: number, quote: string): Token {
  const close = closingQuote[quote]!;
  for (let index = start + 1; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\') {
      index += 1;
      continue;
    }
    if (char !== close) continue;
    if (quote !== '"' && !/^[ \t]*(?:[,:}\])]|\r?\n|$)/.test(text.slice(index + 1, index + 200))) continue;
    return { kind: 'string', text: text.slice(start, index + 1), start, quote, terminated: true };
  }
  return { kind: 'string', text: text.slice(start), start, quote, terminated: false };
}

function startsComment(text: string, index: number): boolean {
  const char = text[index];
  if (char === '/') return text[index + 1] === '/' || text[index + 1] === '*';
  // `#` starts a Python comment only as a word of its own: `#fff` is a value.
  return char === '#' && /[ \t#]/.test(text[index + 1] ?? ' ') && /^\s?$/.test(text[index - 1] ?? '');
}

function commentAt(text: string, start: number): Token | undefined {
  if (!startsComment(text, start)) return undefined;
  if (text[start + 1] === '*') {
    const end = text.indexOf('*/', start + 2);
    return { kind: 'comment', text: text.slice(start, end < 0 ? text.length : end + 2), start };
  }
  const end = text.indexOf('\n', start);
  return { kind: 'comment', text: text.slice(start, end < 0 ? text.length : end), start };
}

/** Whether a token is not space or a comment. */
export function isSignificant(token: Token): boolean {
  return token.kind !== 'space' && token.kind !== 'comment';
}
