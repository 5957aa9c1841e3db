import type { JsonValue } from '@structured-prompt/gateway';
import { jsonrepair } from 'jsonrepair';
import { isSignificant, type Token, tokens } from './jsonish-tokens.ts';

export interface SyntaxRepair {
  value: JsonValue;
  /** The defects found, named for people: "removed trailing commas", "converted Python literals"… */
  defects: string[];
}

type Frame = 'object' | 'array' | 'tuple' | 'group';

const pythonLiterals: Record<string, string> = { True: 'true', False: 'false', None: 'null' };
const separatedNumber = /^[+-]?\d+(?:_\d+)+(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+)?$|^[+-]?\d+\.\d+(?:_\d+)+$/;
const fraction = /^(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/;
const hexadecimal = /^-?0[xX][\da-fA-F]+$/;
const plusNumber = /^\+\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Repairs the syntax models get wrong. jsonrepair does most of it (quotes, commas, comments, unquoted
 * keys and strings, truncation); a token pass first does what it does not (tuples, `#` comments,
 * `82_461_110`, `1/3`, `0x1F`, `+5`, doubled commas, asides and stray words between members) and names
 * every defect, since jsonrepair does not report what it changed. Undefined when the text is past repair.
 */
export function repairSyntax(text: string): SyntaxRepair | undefined {
  const prepared = new TokenPass(text).run();
  let repaired: string;
  try {
    repaired = jsonrepair(prepared.text);
  } catch {
    return undefined;
  }
  let value: JsonValue;
  try {
    value = JSON.parse(repaired) as JsonValue;
  } catch {
    return undefined;
  }
  const defects = [...prepared.defects];
  return { value, defects: defects.length > 0 ? defects : ['repaired malformed JSON'] };
}

/** One left-to-right pass over the tokens: rewrites what jsonrepair cannot, notes every defect. */
class TokenPass {
  readonly #tokens: Token[];
  readonly #out: string[] = [];
  readonly #stack: Frame[] = [];
  readonly defects = new Set<string>();
  #index = 0;
  /** The last significant token kept, for telling keys, values and asides apart. */
  #previous: Token | undefined;

  constructor(text: string) {
    this.#tokens = [...tokens(text)];
  }

  run(): { text: string; defects: Set<string> } {
    for (; this.#index < this.#tokens.length; this.#index += 1) {
      const token = this.#tokens[this.#index]!;
      this.#visit(token);
      if (isSignificant(token)) this.#previous = token;
    }
    if (this.#stack.some((frame) => frame === 'object' || frame === 'array'))
      this.defects.add('completed truncated output');
    return { text: this.#out.join(''), defects: this.defects };
  }

  #visit(token: Token): void {
    switch (token.kind) {
      case 'comment':
        this.defects.add('removed comments');
        this.#out.push(token.text.startsWith('/*') ? ' ' : '');
        return;
      case 'string':
        this.#string(token);
        return;
      case 'open':
        this.#open(token);
        return;
      case 'close':
        this.#close(token);
        return;
      case 'comma':
        if (this.#nextSignificant()?.kind === 'comma') this.defects.add('removed doubled commas');
        else this.#out.push(',');
        return;
      case 'word':
        this.#word(token);
        return;
      default:
        this.#out.push(token.text);
    }
  }

  #string(token: Token): void {
    if (token.quote === "'") this.defects.add('replaced single quotes');
    else if (token.quote !== '"') this.defects.add('replaced typographic or backtick quotes');
    if (token.terminated === false) this.defects.add('completed truncated output');
    this.#noteMissingComma();
    this.#out.push(token.quote !== '"' && token.terminated === true ? doubleQuoted(token.text) : token.text);
  }

  #open(token: Token): void {
    if (token.text !== '(') {
      this.#noteMissingComma();
      this.#stack.push(token.text === '{' ? 'object' : 'array');
      this.#out.push(token.text);
      return;
    }
    if (this.#inValuePosition()) {
      this.defects.add('converted tuples to arrays');
      this.#stack.push('tuple');
      this.#out.push('[');
      return;
    }
    if (this.#afterValue() && this.#skipAside()) return;
    this.#stack.push('group');
    this.#out.push('(');
  }

  #close(token: Token): void {
    if (this.#previous?.kind === 'comma' && token.text !== ')') this.defects.add('removed trailing commas');
    const frame = this.#stack.pop();
    if (frame === undefined) this.defects.add('removed extra closing brackets');
    this.#out.push(frame === 'tuple' ? ']' : token.text);
  }

  #word(token: Token): void {
    if (token.text === '...' || token.text === '…') this.defects.add('removed ellipses');
    else if (this.#inKeyPosition()) {
      if (this.#nextSignificant()?.kind === 'colon') this.defects.add('quoted unquoted keys');
      else if (this.#skipStrayWords()) return;
    } else {
      if (this.#isUnitAfterNumber(token)) {
        this.defects.add('removed stray text between values');
        return;
      }
      this.#noteMissingComma();
      this.#out.push(this.#normalizeValueWord(this.#joinThousands(token.text)));
      return;
    }
    this.#out.push(token.text);
  }

  /** `36 years`, `12 kg`: a word after a number that ends the value is a unit the schema has no room for. */
  #isUnitAfterNumber(token: Token): boolean {
    const previous = this.#previous;
    if (previous?.kind !== 'word' || !/^[+-]?\.?\d/.test(previous.text)) return false;
    if (!/^[\p{L}%]+$/u.test(token.text)) return false;
    const next = this.#nextSignificant();
    return next === undefined || next.kind === 'comma' || next.kind === 'close';
  }

  /**
   * `"value": 1,000,000` in an object: groups of three digits after commas that are not followed by a
   * colon cannot be keys, so they are the number's thousands. In an array they stay separate numbers.
   */
  #joinThousands(word: string): string {
    if (this.#stack.at(-1) !== 'object' || !/^-?\d{1,3}$/.test(word)) return word;
    let joined = word;
    let index = this.#index;
    for (;;) {
      const comma = this.#tokens[index + 1];
      const group = this.#tokens[index + 2];
      if (comma?.kind !== 'comma' || group?.kind !== 'word' || !/^\d{3}(?:\.\d+)?$/.test(group.text)) break;
      if (nextSignificantAfter(this.#tokens, index + 2)?.kind === 'colon') break;
      joined += group.text;
      index += 2;
    }
    if (index === this.#index) return word;
    this.defects.add('removed thousands separators from numbers');
    this.#index = index;
    return joined;
  }

  /** Python literals and number spellings JSON lacks, rewritten; other words go to jsonrepair. */
  #normalizeValueWord(word: string): string {
    const literal = pythonLiterals[word];
    if (literal !== undefined) {
      this.defects.add('converted Python literals');
      return literal;
    }
    if (separatedNumber.test(word)) {
      this.defects.add('removed digit separators from numbers');
      return word.replaceAll('_', '');
    }
    const ratio = fraction.exec(word);
    if (ratio !== null && Number(ratio[2]) !== 0) {
      this.defects.add('evaluated fractions');
      return String(Number(ratio[1]) / Number(ratio[2]));
    }
    if (hexadecimal.test(word)) {
      this.defects.add('converted hexadecimal numbers');
      return String(word.startsWith('-') ? -Number(word.slice(1)) : Number(word));
    }
    if (plusNumber.test(word)) {
      this.defects.add('removed leading plus signs');
      return word.slice(1);
    }
    if (!/^-?\d|^(?:true|false|null)$/.test(word)) this.defects.add('quoted unquoted strings');
    return word;
  }

  /**
   * Words between members of an object, before the next `"key":` (a model's aside, a half sentence):
   * dropped. False when the words are not followed by a key, so they may be an unquoted key.
   */
  #skipStrayWords(): boolean {
    let index = this.#index;
    while (index < this.#tokens.length) {
      const token = this.#tokens[index]!;
      if (token.kind === 'string') break;
      if (!['word', 'other', 'space', 'comment'].includes(token.kind)) return false;
      index += 1;
    }
    const key = this.#tokens[index];
    if (key === undefined || nextSignificantAfter(this.#tokens, index)?.kind !== 'colon') return false;
    this.defects.add('removed stray text between values');
    this.#index = index - 1;
    return true;
  }

  /** `36 (estimated)`: a parenthesised remark after a value, dropped up to its closing parenthesis. */
  #skipAside(): boolean {
    let depth = 0;
    for (let index = this.#index; index < this.#tokens.length; index += 1) {
      const token = this.#tokens[index]!;
      if (token.text === '(') depth += 1;
      else if (token.text === ')') depth -= 1;
      else if (token.kind === 'open' || token.kind === 'close') return false;
      if (depth === 0) {
        this.defects.add('removed stray text between values');
        this.#index = index;
        return true;
      }
    }
    return false;
  }

  #noteMissingComma(): void {
    if (this.#stack.length > 0 && this.#afterValue() && this.#previous?.kind !== 'word')
      this.defects.add('inserted missing commas');
  }

  #inValuePosition(): boolean {
    const kind = this.#previous?.kind;
    const text = this.#previous?.text;
    return kind === undefined || kind === 'colon' || kind === 'comma' || text === '[' || text === '(';
  }

  #afterValue(): boolean {
    const kind = this.#previous?.kind;
    return kind === 'string' || kind === 'word' || (kind === 'close' && this.#previous?.text !== ')');
  }

  #inKeyPosition(): boolean {
    const kind = this.#previous?.kind;
    return this.#stack.at(-1) === 'object' && (kind === 'comma' || this.#previous?.text === '{');
  }

  #nextSignificant(): Token | undefined {
    return nextSignificantAfter(this.#tokens, this.#index);
  }
}

/** A string in other quotes as a JSON string: its own quote unescaped, double quotes escaped. */
function doubleQuoted(text: string): string {
  const body = text
    .slice(1, -1)
    .replaceAll(/\\([\s\S])|"/g, (match, escaped: string | undefined) =>
      escaped === undefined ? '\\"' : /['`‘’“”]/.test(escaped) ? escaped : match,
    );
  return `"${body}"`;
}

function nextSignificantAfter(list: readonly Token[], index: number): Token | undefined {
  for (let next = index + 1; next < list.length; next += 1) {
    if (isSignificant(list[next]!)) return list[next];
  }
  return undefined;
}
