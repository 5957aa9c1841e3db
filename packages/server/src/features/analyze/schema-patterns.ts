import type { FieldError } from '@structured-prompt/contracts';
import { compileRe2, type JsonSchema, UnsupportedPatternError } from '@structured-prompt/gateway';
import { settingName } from '../../config/env-mapping.ts';
import { isPlainObject, subschemasOf, toPointer } from './schema-walk.ts';

/**
 * RE2 instructions all the patterns of one schema may compile to. Compiling costs about a
 * microsecond per instruction, and a 400-character pattern can compile to 100,000 of them; the
 * budget keeps the patterns of one request to a small fraction of a second.
 */
const programBudget = 100_000;

interface PatternSite {
  /** Path segments of the keyword holding the pattern, from the schema root. */
  path: string[];
  source: string;
  keyword: 'pattern' | 'patternProperties';
}

/**
 * The schema's regular expressions that cannot run on the linear-time engine (ADR 0045), as errors
 * naming each pattern: longer than `maxPatternChars`, a construct RE2 lacks (backreferences,
 * lookaround, a repetition count over 1000), or past the compile budget. Expects patterns that
 * are already valid ECMAScript (the guard checks that first).
 */
export function unsupportedPatterns(root: JsonSchema, maxPatternChars: number): FieldError[] {
  const errors: FieldError[] = [];
  let instructions = 0;
  for (const site of patternSites(root)) {
    const at = `/schema${toPointer(site.path)}`;
    if (site.source.length > maxPatternChars) {
      const setting = settingName('limits.maxPatternChars');
      errors.push(
        siteError(
          at,
          site,
          `${site.source.length} characters long; the limit is ${maxPatternChars} (${setting})`,
        ),
      );
      continue;
    }
    if (instructions > programBudget) {
      errors.push(
        siteError(
          at,
          site,
          'past what the patterns of one schema may compile to; use fewer or simpler patterns',
        ),
      );
      continue;
    }
    try {
      instructions += compileRe2(site.source).programSize();
    } catch (error) {
      if (!(error instanceof UnsupportedPatternError)) throw error;
      errors.push(siteError(at, site, error.message));
    }
  }
  return errors;
}

function siteError(at: string, site: PatternSite, why: string): FieldError {
  return { path: at, message: `pattern ${JSON.stringify(site.source)}: ${why}`, keyword: site.keyword };
}

/** Every `pattern` and `patternProperties` name of the schema's subschemas, in document order. */
function patternSites(root: JsonSchema): PatternSite[] {
  const sites: PatternSite[] = [];
  const pending: Array<{ schema: unknown; path: string[] }> = [{ schema: root, path: [] }];
  while (pending.length > 0) {
    const { schema, path } = pending.shift()!;
    if (!isPlainObject(schema)) continue;
    if (typeof schema.pattern === 'string') {
      sites.push({ path: [...path, 'pattern'], source: schema.pattern, keyword: 'pattern' });
    }
    if (isPlainObject(schema.patternProperties)) {
      for (const source of Object.keys(schema.patternProperties)) {
        sites.push({ path: [...path, 'patternProperties', source], source, keyword: 'patternProperties' });
      }
    }
    for (const entry of subschemasOf(schema))
      pending.push({ schema: entry.schema, path: [...path, ...entry.segments] });
  }
  return sites;
}
