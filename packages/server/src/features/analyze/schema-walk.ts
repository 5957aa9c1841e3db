/**
 * Where JSON Schema keeps its subschemas, for the modules that walk a schema (guard, relaxed schema,
 * confidence). The applicator keywords of draft-04 to 2020-12 are known; unknown keywords and data
 * keywords (`const`, `enum`, `default`, `examples`) are never walked, so data that happens to look
 * like a schema (e.g. `{"const": {"$ref": "http://…"}}`) is not mistaken for one.
 */

/**
 * `in-place`: applies to the same instance (allOf, not, if, …), so a `$ref` cycle through these alone
 * never terminates. `structural`: applies to a part of the instance (a property, an item), which is
 * what makes recursive schemas well-founded. `definition`: not applied by itself ($defs).
 */
type SubschemaRole = 'in-place' | 'structural' | 'definition';

export interface SubschemaEntry {
  /** Path segments from the parent schema, e.g. ['properties', 'name'] or ['allOf', '0']. */
  segments: string[];
  schema: unknown;
  role: SubschemaRole;
}

// A Map, not an object literal: one of the keywords is `then`, which would make the object a thenable.
const singleKeywords = new Map<string, SubschemaRole>([
  ['not', 'in-place'],
  ['if', 'in-place'],
  ['then', 'in-place'],
  ['else', 'in-place'],
  ['additionalProperties', 'structural'],
  ['additionalItems', 'structural'],
  ['items', 'structural'],
  ['contains', 'structural'],
  ['propertyNames', 'structural'],
  ['unevaluatedItems', 'structural'],
  ['unevaluatedProperties', 'structural'],
  ['contentSchema', 'structural'],
]);

const arrayKeywords: Record<string, SubschemaRole> = {
  allOf: 'in-place',
  anyOf: 'in-place',
  oneOf: 'in-place',
  prefixItems: 'structural',
  // Tuple form of `items`, draft-04 to 2019-09.
  items: 'structural',
};

const mapKeywords: Record<string, SubschemaRole> = {
  dependentSchemas: 'in-place',
  // draft-04 to -07: values are schemas (in-place) or arrays of names (not schemas, skipped below).
  dependencies: 'in-place',
  properties: 'structural',
  patternProperties: 'structural',
  $defs: 'definition',
  definitions: 'definition',
};

export function isSchemaLike(value: unknown): value is Record<string, unknown> | boolean {
  return typeof value === 'boolean' || isPlainObject(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Direct subschemas of one schema object. Tolerates malformed shapes (skips what is not a schema). */
export function subschemasOf(schema: Record<string, unknown>): SubschemaEntry[] {
  const entries: SubschemaEntry[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const single = singleKeywords.get(keyword);
    if (single !== undefined && isSchemaLike(value)) {
      entries.push({ segments: [keyword], schema: value, role: single });
      continue;
    }
    const array = arrayKeywords[keyword];
    if (array !== undefined && Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isSchemaLike(item))
          entries.push({ segments: [keyword, String(index)], schema: item, role: array });
      });
      continue;
    }
    const map = mapKeywords[keyword];
    if (map !== undefined && isPlainObject(value)) {
      for (const [name, item] of Object.entries(value)) {
        if (isSchemaLike(item)) entries.push({ segments: [keyword, name], schema: item, role: map });
      }
    }
  }
  return entries;
}

/** Whether a keyword holds a map of named subschemas (so the next path segment is a name, not a keyword). */
function isMapKeyword(keyword: string): boolean {
  return Object.hasOwn(mapKeywords, keyword);
}

function isArrayKeyword(keyword: string): boolean {
  return Object.hasOwn(arrayKeywords, keyword);
}

function isSingleKeyword(keyword: string): boolean {
  return singleKeywords.has(keyword);
}

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function unescapePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${escapePointerSegment(segment)}`).join('');
}

/**
 * The schema keyword a path inside a schema document ends in: for `/properties/a/type` that is `type`,
 * for `/properties/a` (the subschema itself is bad) the keyword holding it, `properties`.
 */
export function keywordAtPath(segments: readonly string[]): string | undefined {
  let keyword: string | undefined;
  let index = 0;
  while (index < segments.length) {
    const current = segments[index]!;
    keyword = current;
    if (isMapKeyword(current) || (isArrayKeyword(current) && /^\d+$/.test(segments[index + 1] ?? ''))) {
      index += 2;
    } else if (isSingleKeyword(current)) {
      index += 1;
    } else {
      break;
    }
  }
  return keyword;
}
