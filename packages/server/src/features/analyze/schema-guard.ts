import type { FieldError } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import type { ErrorObject } from 'ajv';
import { LRUCache } from 'lru-cache';
import { settingName } from '../../config/env-mapping.ts';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson, sha256Hex } from '../../lib/canonical-json.ts';
import { findJsonNestingOver } from './json-nesting.ts';
import { smallestAnswer } from './schema-answer-size.ts';
import { type SchemaDialect, SchemaDialects, supportedMetaSchemas } from './schema-dialects.ts';
import { unsupportedPatterns } from './schema-patterns.ts';
import { findRefProblems } from './schema-refs.ts';
import {
  isPlainObject,
  isSchemaLike,
  keywordAtPath,
  type SubschemaEntry,
  subschemasOf,
  toPointer,
  unescapePointerSegment,
} from './schema-walk.ts';

export interface SchemaLimits {
  /** UTF-8 bytes of the schema's JSON text (config.limits.maxSchemaBytes). */
  maxSchemaBytes: number;
  /** Schema objects on the longest root-to-leaf path, the root counting as 1 (config.limits.maxSchemaDepth). */
  maxSchemaDepth: number;
  /** Characters of JSON the smallest valid answer may need at most (config.limits.maxAnswerChars). */
  maxAnswerChars?: number;
  /** Characters of one regular expression at most (config.limits.maxPatternChars). */
  maxPatternChars?: number;
}

const defaultMaxAnswerChars = 100_000;
const defaultMaxPatternChars = 1000;

/**
 * Bound on plain JSON nesting, whatever the keywords. Schema depth is limited separately and more
 * tightly; this only keeps the recursive walkers (ours and Ajv's) far away from the stack limit when
 * the nesting hides in `const`, `examples` or unknown keywords.
 */
const maxJsonNesting = 128;

const schemaRoot = '/schema';

/** Characters of canonical JSON of the accepted inline schemas remembered, all together. */
const acceptedSchemasChars = 4_000_000;

/**
 * Checks an inline schema before anything is compiled or sent to a model. Every failure is an
 * AppError('invalid_schema') whose `errors[]` point at the offending keyword under `/schema`.
 * Built once at boot: it holds the meta-schema validators (through the shared dialect rule).
 */
export class SchemaGuard {
  readonly #limits: SchemaLimits;
  readonly #dialects: SchemaDialects;
  readonly #accepted = new LRUCache<string, { schema: JsonSchema; chars: number }>({
    maxSize: acceptedSchemasChars,
    sizeCalculation: (entry) => Math.max(1, entry.chars),
  });
  #fullChecks = 0;

  constructor(limits: SchemaLimits, dialects: SchemaDialects = new SchemaDialects()) {
    this.#limits = limits;
    this.#dialects = dialects;
  }

  /** How many times a schema went through every check (`check`, and `checkInline` on a schema not yet accepted). */
  get fullChecks(): number {
    return this.#fullChecks;
  }

  /**
   * `check` for a request's inline schema, with its canonical hash. Whether a schema is acceptable
   * depends on its content alone (the limits are fixed at boot), and clients send the same few
   * schemas again and again: one accepted before is not walked again, and the object first accepted
   * stands for every equal one, so work remembered per schema object downstream (the adapters'
   * compiled schemas) is done once per schema too (ADR 0079). A refused schema is checked every
   * time, so every refusal carries its errors.
   */
  checkInline(schema: unknown): { schema: JsonSchema; hash: string } {
    // Shape and nesting first: hashing walks the schema recursively.
    this.#checkShape(schema);
    const text = canonicalJson(schema);
    const hash = sha256Hex(text);
    const known = this.#accepted.get(hash);
    if (known !== undefined) return { schema: known.schema, hash };
    this.check(schema);
    this.#accepted.set(hash, { schema, chars: text.length });
    return { schema, hash };
  }

  /** Returns the schema unchanged when it is acceptable; throws AppError('invalid_schema') otherwise. */
  check(schema: unknown): JsonSchema {
    this.#fullChecks += 1;
    this.#checkShape(schema);
    checkSize(schema, this.#limits.maxSchemaBytes);
    const dialect = this.#dialectOf(schema);
    const metaErrors = metaSchemaErrors(this.#dialects.metaErrors(schema, dialect));
    if (metaErrors.length > 0) fail(`The schema is not a valid ${dialect} JSON Schema`, metaErrors);
    this.#checkContent(schema, dialect);
    return schema;
  }

  /** A JSON object or boolean, nested no deeper than the walkers can follow. */
  #checkShape(schema: unknown): asserts schema is JsonSchema {
    if (!isSchemaLike(schema)) {
      fail('The schema must be a JSON object or a boolean', [
        { path: schemaRoot, message: 'must be a JSON Schema object or boolean', keyword: 'type' },
      ]);
    }
    // Nesting first: JSON.stringify (for the byte count) recurses too.
    const tooDeep = findJsonNestingOver(schema, maxJsonNesting);
    if (tooDeep !== undefined) {
      fail(`The schema nests JSON deeper than ${maxJsonNesting} levels`, [
        {
          path: schemaRoot + toPointer(tooDeep),
          message: `must not nest deeper than ${maxJsonNesting} levels`,
        },
      ]);
    }
  }

  /** Depth, references, regular expressions and the smallest answer's size. */
  #checkContent(schema: JsonSchema, dialect: SchemaDialect): void {
    const structureErrors = checkStructure(schema, this.#limits.maxSchemaDepth);
    if (structureErrors.length > 0) fail(structureErrors[0]!.message, structureErrors);

    const refErrors = findRefProblems(schema, dialect).map((problem) => ({
      path: schemaRoot + problem.at,
      message: problem.message,
      keyword: problem.keyword,
    }));
    if (refErrors.length > 0) fail(refErrors[0]!.message, refErrors);

    const patternErrors = unsupportedPatterns(schema, this.#limits.maxPatternChars ?? defaultMaxPatternChars);
    if (patternErrors.length > 0) {
      throw new AppError(
        'unsupported_pattern',
        `The schema has a regular expression the service does not run: ${patternErrors[0]!.message}`,
        { errors: patternErrors },
      );
    }
    checkAnswerSize(schema, dialect, this.#limits.maxAnswerChars ?? defaultMaxAnswerChars);
  }

  /** The dialect the schema is read in (ADR 0040); a `$schema` naming anything else is refused. */
  #dialectOf(schema: JsonSchema): SchemaDialect {
    const dialect = this.#dialects.dialectOf(schema);
    if (dialect !== undefined) return dialect;
    const supported = supportedMetaSchemas.map((uri) => `"${uri}"`).join(', ');
    return fail('The schema declares a JSON Schema dialect the service does not support', [
      {
        path: `${schemaRoot}/$schema`,
        message: `must be one of ${supported} (or absent: the dialect is then inferred)`,
        keyword: '$schema',
      },
    ]);
  }
}

/** The byte limit, with an error that names the setting that raises it. */
function checkSize(schema: JsonSchema, maxBytes: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(schema), 'utf8');
  if (bytes <= maxBytes) return;
  const setting = settingName('limits.maxSchemaBytes');
  fail(
    `The schema is ${bytes} bytes of JSON; the limit is ${maxBytes} bytes (${setting}, which the operator can raise)`,
    [{ path: schemaRoot, message: `must not be larger than ${maxBytes} bytes (${setting})` }],
  );
}

/**
 * Refuses a schema whose smallest valid answer is longer than the service produces: no model could
 * write it, and building it (the offline analyzer, a grammar) would take memory the process has not.
 */
function checkAnswerSize(schema: JsonSchema, dialect: SchemaDialect, maxChars: number): void {
  const smallest = smallestAnswer(schema, dialect);
  if (smallest.chars <= maxChars) return;
  const setting = settingName('limits.maxAnswerChars');
  const size = Number.isFinite(smallest.chars)
    ? Math.round(smallest.chars).toLocaleString('en')
    : 'unbounded';
  const message =
    `the smallest answer this schema allows is about ${size} characters of JSON; the limit is ` +
    `${maxChars} (${setting}): lower ${smallest.keyword} here or what it multiplies`;
  throw new AppError(
    'schema_answer_too_large',
    `The schema cannot be satisfied within the output limit: ${message}`,
    {
      errors: [{ path: schemaRoot + smallest.pointer, message, keyword: smallest.keyword }],
    },
  );
}

function fail(detail: string, errors: FieldError[]): never {
  throw new AppError('invalid_schema', detail, { errors });
}

/** One error per offending location, the most specific Ajv reported, named by the schema keyword there. */
function metaSchemaErrors(errors: ErrorObject[]): FieldError[] {
  const byPath = new Map<string, ErrorObject>();
  for (const error of errors) {
    const known = byPath.get(error.instancePath);
    // anyOf/oneOf only say "some branch failed"; the branch errors say why.
    if (known === undefined || (isCombinator(known.keyword) && !isCombinator(error.keyword))) {
      byPath.set(error.instancePath, error);
    }
  }
  return [...byPath.values()].map((error) => {
    const segments = error.instancePath.split('/').slice(1).map(unescapePointerSegment);
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const message = allowed
      ? `${error.message}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
      : error.message;
    return {
      path: schemaRoot + error.instancePath,
      message: message ?? 'is invalid',
      keyword: keywordAtPath(segments) ?? error.keyword,
    };
  });
}

function isCombinator(keyword: string): boolean {
  return keyword === 'anyOf' || keyword === 'oneOf';
}

/** Schema depth and regular expressions, in one walk of the subschema tree. */
function checkStructure(root: JsonSchema, maxDepth: number): FieldError[] {
  const errors: FieldError[] = [];
  let depthReported = false;
  const visit = (schema: unknown, path: string[], depth: number, via: string | undefined): void => {
    if (depth > maxDepth) {
      if (!depthReported) {
        depthReported = true;
        errors.push(depthError(path, maxDepth, via));
      }
      return;
    }
    if (!isPlainObject(schema)) return;
    if (typeof schema.pattern === 'string' && !isValidRegExp(schema.pattern)) {
      errors.push({
        path: schemaRoot + toPointer([...path, 'pattern']),
        message: 'must be a valid regular expression',
        keyword: 'pattern',
      });
    }
    if (isPlainObject(schema.patternProperties)) {
      for (const source of Object.keys(schema.patternProperties)) {
        if (isValidRegExp(source)) continue;
        errors.push({
          path: schemaRoot + toPointer([...path, 'patternProperties', source]),
          message: 'property name pattern must be a valid regular expression',
          keyword: 'patternProperties',
        });
      }
    }
    for (const entry of subschemasOf(schema) as SubschemaEntry[]) {
      visit(entry.schema, [...path, ...entry.segments], depth + 1, entry.segments[0]);
    }
  };
  visit(root, [], 1, undefined);
  return errors;
}

/** The depth limit, with an error that names the setting that raises it. */
function depthError(path: string[], maxDepth: number, via: string | undefined): FieldError {
  const setting = settingName('limits.maxSchemaDepth');
  return {
    path: schemaRoot + toPointer(path),
    message:
      `schema nesting depth must not exceed ${maxDepth} levels (${setting}, which the operator can ` +
      'raise); every subschema under properties, items, allOf, $defs, … counts as one level',
    keyword: via ?? 'depth',
  };
}

function isValidRegExp(source: string): boolean {
  try {
    // Ajv compiles patterns with the `u` flag, so that is the syntax that must hold.
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
