/**
 * Regular expressions that come from a schema (`pattern`, `patternProperties`) run on RE2 through
 * re2js, a linear-time engine: the time to match is bounded by the pattern's size times the text's
 * length, whatever the pattern. A backtracking engine (V8's) can take exponential time on patterns
 * such as `^(a|a)+$`, and one such request would freeze every other request of the process.
 * Patterns RE2 cannot express (backreferences, lookaround) are refused rather than run.
 */
import { RE2JS } from 're2js';

/** Longest text a schema pattern is matched against; a longer one does not match. */
export const defaultMaxPatternInputChars = 100_000;

/** A compiled schema pattern, shaped as Ajv's `code.regExp` engine expects (`test`, `toString`). */
export interface SchemaPattern {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text` (a text longer than the input bound never does). */
  test(text: string): boolean;
  toString(): string;
}

/** Why a pattern cannot run on the linear-time engine; `source` is the pattern as the schema wrote it. */
export class UnsupportedPatternError extends Error {
  readonly source: string;

  constructor(source: string, reason: string) {
    super(reason);
    this.name = 'UnsupportedPatternError';
    this.source = source;
  }
}

/** Compiled patterns by source: the guard, the validator and the offline analyzer share them. */
const compiled = new Map<string, RE2JS>();
const maxCompiled = 2000;

/**
 * Property escapes as RE2 spells them: `\p{Script=Greek}` is `\p{Greek}` there, and a general
 * category goes by its short name (`\p{Letter}` is `\p{L}`).
 */
const propertyEscape = /\\([pP])\{(?:(?:Script|sc|General_Category|gc)=)?([A-Za-z_]+)\}/g;
const shortCategories: Record<string, string> = {
  Letter: 'L',
  Uppercase_Letter: 'Lu',
  Lowercase_Letter: 'Ll',
  Titlecase_Letter: 'Lt',
  Modifier_Letter: 'Lm',
  Other_Letter: 'Lo',
  Mark: 'M',
  Combining_Mark: 'M',
  Nonspacing_Mark: 'Mn',
  Spacing_Mark: 'Mc',
  Enclosing_Mark: 'Me',
  Number: 'N',
  Decimal_Number: 'Nd',
  digit: 'Nd',
  Letter_Number: 'Nl',
  Other_Number: 'No',
  Punctuation: 'P',
  punct: 'P',
  Connector_Punctuation: 'Pc',
  Dash_Punctuation: 'Pd',
  Open_Punctuation: 'Ps',
  Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi',
  Final_Punctuation: 'Pf',
  Other_Punctuation: 'Po',
  Symbol: 'S',
  Math_Symbol: 'Sm',
  Currency_Symbol: 'Sc',
  Modifier_Symbol: 'Sk',
  Other_Symbol: 'So',
  Separator: 'Z',
  Space_Separator: 'Zs',
  Line_Separator: 'Zl',
  Paragraph_Separator: 'Zp',
  Other: 'C',
  Control: 'Cc',
  cntrl: 'Cc',
  Format: 'Cf',
  Surrogate: 'Cs',
  Private_Use: 'Co',
  Unassigned: 'Cn',
};
const re2Property = (_match: string, p: string, name: string) =>
  `\\${p}{${Object.hasOwn(shortCategories, name) ? shortCategories[name] : name}}`;

/**
 * The RE2 program of an ECMAScript pattern (as JSON Schema's `pattern` is, with the `u` flag), or an
 * UnsupportedPatternError saying why there is none. Compiling is linear in the program's size.
 */
export function compileRe2(source: string): RE2JS {
  const known = compiled.get(source);
  if (known !== undefined) return known;
  const syntax = toRe2Syntax(source.replace(propertyEscape, re2Property));
  if ('unsupported' in syntax) throw new UnsupportedPatternError(source, syntax.unsupported);
  let program: RE2JS;
  try {
    program = RE2JS.compile(RE2JS.translateRegExp(syntax.source));
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new UnsupportedPatternError(source, `the linear-time pattern engine cannot run it: ${reason}`);
  }
  if (compiled.size >= maxCompiled) compiled.clear();
  compiled.set(source, program);
  return program;
}

/** The schema pattern for `source`; throws UnsupportedPatternError when RE2 cannot run it. */
export function compileSchemaPattern(
  source: string,
  maxInputChars = defaultMaxPatternInputChars,
): SchemaPattern {
  const program = compileRe2(source);
  return {
    source,
    test: (text) => text.length <= maxInputChars && program.test(text),
    toString: () => `/${source}/u`,
  };
}

/**
 * An Ajv `code.regExp` engine: every `pattern` and `patternProperties` of a schema compiled by that
 * Ajv instance runs on RE2, against texts of at most `maxInputChars`.
 */
export function schemaPatternEngine(
  maxInputChars = defaultMaxPatternInputChars,
): ((source: string, flags: string) => SchemaPattern) & { code: string } {
  const engine = (source: string) => compileSchemaPattern(source, maxInputChars);
  // Ajv names the engine by `code` in standalone code, which the service never generates.
  return Object.assign(engine, { code: 'schemaPattern' });
}

/** ECMAScript's `.`: anything but a line terminator (RE2's excludes only `\n`). */
const anyButLineEnd = String.raw`[^\n\r\u2028\u2029]`;
/** ECMAScript's `\s`, which takes in Unicode spaces (RE2's is ASCII only). */
const whitespace = String.raw`\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;

/** What an escape becomes in RE2 syntax, where ECMAScript means something else by it. */
function escapeFor(next: string, inClass: boolean): string {
  if (next === 's') return inClass ? whitespace : `[${whitespace}]`;
  if (next === 'S' && !inClass) return `[^${whitespace}]`;
  return `\\${next}`;
}

/**
 * The pattern with ECMAScript's `.` and `\s` spelled out for RE2, or the reason RE2 has no linear-time way
 * to run it, found before compiling so that the refusal names it plainly: backreferences (`\1`,
 * `\k<name>`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`).
 */
function toRe2Syntax(source: string): { source: string } | { unsupported: string } {
  let inClass = false;
  let out = '';
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index]!;
    if (char === '\\') {
      const next = source[index + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) {
        return {
          unsupported:
            'backreferences (\\1, \\k<name>) are not supported: patterns run on a linear-time engine',
        };
      }
      out += escapeFor(next, inClass);
      index += 1;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (!inClass && char === '(' && /^\(\?<?[=!]/.test(source.slice(index, index + 4))) {
      return {
        unsupported:
          'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported: patterns run on a linear-time engine',
      };
    }
    out += !inClass && char === '.' ? anyButLineEnd : char;
  }
  return { source: out };
}
