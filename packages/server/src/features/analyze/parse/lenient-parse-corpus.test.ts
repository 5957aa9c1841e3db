import { readFileSync } from 'node:fs';
import type { JsonSchema } from '@structured-prompt/gateway';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type LenientParseResult, lenientParse } from '../lenient-parse.ts';
import { ValidatorCache } from '../validator-cache.ts';
import { jsonEqual } from './schema-view.ts';

interface CorpusCase {
  category: string;
  /** A schema name from `schemas`, or null for JSON mode without a schema. */
  schema: string | null;
  text: string;
  expected: unknown;
}

const corpus = parseYaml(readFileSync(new URL('./lenient-parse.corpus.yaml', import.meta.url), 'utf8')) as {
  schemas: Record<string, JsonSchema>;
  cases: CorpusCase[];
};

const validators = new ValidatorCache({ maxEntries: 32 });

function parseCase(entry: CorpusCase): LenientParseResult {
  if (entry.schema === null) return lenientParse(entry.text);
  const schema = corpus.schemas[entry.schema];
  if (schema === undefined) throw new Error(`unknown schema ${entry.schema}`);
  const validator = validators.get(schema);
  return lenientParse(entry.text, { schema, validate: (value) => validator.validate(value) });
}

function recovered(entry: CorpusCase, result: LenientParseResult): boolean {
  return result.ok && jsonEqual(result.value, entry.expected);
}

function plainJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Whether the text, read as plain JSON, fails its schema. */
function invalid(entry: CorpusCase): boolean {
  const validator = validators.get(corpus.schemas[entry.schema!]!);
  return validator.validate(plainJson(entry.text)?.value).length > 0;
}

const results = corpus.cases.map((entry) => ({ entry, result: parseCase(entry) }));

describe('lenient parsing corpus', () => {
  it('holds at least 150 malformed outputs over every category', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(150);
    const categories = new Set(corpus.cases.map((entry) => entry.category));
    expect([...categories].sort()).toEqual(
      [
        'coerce-array',
        'coerce-boolean',
        'coerce-date',
        'coerce-enum',
        'coerce-number',
        'comments',
        'multiple-values',
        'no-coercion',
        'numbers',
        'python-literals',
        'single-quotes',
        'stray-text',
        'trailing-commas',
        'truncation',
        'unquoted-keys',
        'wrapped',
      ].sort(),
    );
    // Each is malformed: not one JSON value as written, or one that does not validate against its schema.
    const alreadyFine = results.filter(
      ({ entry }) => plainJson(entry.text) !== undefined && (entry.schema === null || !invalid(entry)),
    );
    expect(alreadyFine.map(({ entry }) => entry.text)).toEqual([]);
  });

  it('recovers the intended value of nearly every case, and prints the rate per category', () => {
    const byCategory = new Map<string, { total: number; recovered: number }>();
    for (const { entry, result } of results) {
      const tally = byCategory.get(entry.category) ?? { total: 0, recovered: 0 };
      tally.total += 1;
      if (recovered(entry, result)) tally.recovered += 1;
      byCategory.set(entry.category, tally);
    }
    const total = results.filter(({ entry, result }) => recovered(entry, result)).length;
    const rows = [...byCategory].map(
      ([name, tally]) => `  ${name.padEnd(18)} ${tally.recovered}/${tally.total}`,
    );
    console.log(
      `lenient-parse corpus: recovered ${total}/${results.length} ` +
        `(${((100 * total) / results.length).toFixed(1)}%)\n${rows.join('\n')}`,
    );
    const missed = results
      .filter(({ entry, result }) => !recovered(entry, result))
      .map(({ entry, result }) => ({ text: entry.text, got: result.ok ? result.value : result.reason }));
    expect(missed.length, JSON.stringify(missed, null, 2)).toBeLessThanOrEqual(results.length * 0.05);
  });

  it('reports every repair: a value that is not the text as written comes with its repairs or coercions', () => {
    const silent = results.filter(({ entry, result }) => {
      if (!result.ok || result.repairs.length > 0 || result.coercions.length > 0) return false;
      const written = plainJson(entry.text);
      return written === undefined || !jsonEqual(written.value, result.value);
    });
    expect(silent.map(({ entry }) => entry.text)).toEqual([]);
  });

  it('never coerces a value that would still not validate', () => {
    const guarded = results.filter(({ entry }) => entry.category === 'no-coercion');
    expect(guarded.length).toBeGreaterThan(0);
    for (const { result } of guarded) {
      expect(result.ok && result.coercions).toEqual([]);
      expect(result.ok && result.errors.length).toBeGreaterThan(0);
    }
  });

  it('gives every coercion a line of its own', () => {
    const coerced = results.filter(
      ({ entry, result }) => entry.category.startsWith('coerce-') && recovered(entry, result),
    );
    expect(coerced.length).toBeGreaterThan(50);
    for (const { entry, result } of coerced) {
      expect(result.ok && result.coercions.length, entry.text).toBeGreaterThan(0);
      expect(result.ok && result.errors, entry.text).toEqual([]);
    }
  });
});
