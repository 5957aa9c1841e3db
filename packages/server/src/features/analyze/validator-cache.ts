import type { FieldError } from '@structured-prompt/contracts';
import {
  defaultMaxPatternInputChars,
  type JsonSchema,
  schemaPatternEngine,
} from '@structured-prompt/gateway';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson, schemaHash } from '../../lib/canonical-json.ts';
import { createAjv, type SchemaDialect, SchemaDialects } from './schema-dialects.ts';
import { escapePointerSegment, isPlainObject, subschemasOf } from './schema-walk.ts';

export interface CompiledValidator {
  /** Canonical SHA-256 of the schema (lib/canonical-json.ts). */
  hash: string;
  dialect: SchemaDialect;
  /** Validation errors of `data`, empty when it is valid. */
  validate(data: unknown): FieldError[];
}

export interface ValidatorCacheOptions {
  /** Compiled validators kept (config.analyze.validatorCacheSize). */
  maxEntries: number;
  /** Errors reported per validation at most; the rest are summarised in one entry. */
  maxErrors?: number;
  /** The dialect rule, shared with the schema guard (built here when not given). */
  dialects?: SchemaDialects;
  /** Longest string a schema pattern is matched against (config.limits.maxPatternInputChars). */
  maxPatternInputChars?: number;
}

/**
 * Compiled Ajv validators keyed by the schema's canonical hash, so equal schemas compile once however
 * their keys are ordered. Bounded LRU. Every schema is compiled in an Ajv instance of its own that
 * nothing else shares and that is dropped with it (ADR 0041): a schema's `$id`s, whatever they say,
 * can never replace, remove or resolve to a meta-schema or another request's schema.
 */
export class ValidatorCache {
  readonly #entries: LRUCache<string, CompiledValidator>;
  readonly #maxErrors: number;
  readonly #dialects: SchemaDialects;
  readonly #patternEngine: ReturnType<typeof schemaPatternEngine>;
  #compilations = 0;

  constructor(options: ValidatorCacheOptions) {
    this.#maxErrors = options.maxErrors ?? 50;
    this.#dialects = options.dialects ?? new SchemaDialects();
    this.#entries = new LRUCache<string, CompiledValidator>({ max: options.maxEntries });
    this.#patternEngine = schemaPatternEngine(options.maxPatternInputChars ?? defaultMaxPatternInputChars);
  }

  /** Validators in the cache. */
  get size(): number {
    return this.#entries.size;
  }

  /** How many schemas were compiled (cache misses) since construction. */
  get compilations(): number {
    return this.#compilations;
  }

  /**
   * The compiled validator of `schema`. Throws AppError('invalid_schema') when Ajv cannot compile it
   * (the guard catches most problems earlier, with precise paths; this is the backstop). `hash` is the
   * schema's `schemaHash` when the caller already has it.
   */
  get(schema: JsonSchema, hash = schemaHash(schema)): CompiledValidator {
    const cached = this.#entries.get(hash);
    if (cached !== undefined) return cached;

    const dialect = this.#dialects.dialectOf(schema);
    if (dialect === undefined) {
      throw new AppError('invalid_schema', 'The schema names a meta-schema the service does not support', {
        errors: [{ path: '/schema/$schema', message: 'unsupported meta-schema', keyword: '$schema' }],
      });
    }
    const validateFunction = compileIsolated(schema, dialect, this.#patternEngine);
    this.#compilations += 1;
    const maxErrors = this.#maxErrors;
    const validator: CompiledValidator = {
      hash,
      dialect,
      validate(data) {
        try {
          if (validateFunction(data)) return [];
        } catch (error) {
          if (error instanceof RangeError) return [bottomlessError];
          throw error;
        }
        return toFieldErrors(validateFunction.errors ?? [], maxErrors);
      },
    };
    this.#entries.set(hash, validator);
    return validator;
  }
}

/**
 * Compiles a private copy of the schema (the caller's object may change later) in a fresh Ajv
 * instance. Only the validate function is kept; the instance goes with it. Meta-schema checks are
 * the guard's job, so the instance carries no meta-schemas and never looks one up. Patterns run on
 * the linear-time engine (ADR 0045), never on V8's backtracking one.
 */
function compileIsolated(
  schema: JsonSchema,
  dialect: SchemaDialect,
  regExp: ReturnType<typeof schemaPatternEngine>,
): ValidateFunction {
  const copy = JSON.parse(canonicalJson(schema)) as AnySchema;
  removeAsync(copy);
  const ajv = createAjv(dialect, { meta: false, validateSchema: false, code: { regExp } });
  let validateFunction: ValidateFunction;
  try {
    validateFunction = ajv.compile(copy);
  } catch (error) {
    // Ajv overflows the stack on some reference layouts it cannot resolve (ADR 0041).
    const message =
      error instanceof RangeError ? 'its references could not be resolved' : (error as Error).message;
    throw new AppError('invalid_schema', `The schema cannot be compiled: ${message}`, {
      cause: error,
      errors: [{ path: '/schema', message }],
    });
  }
  refuseEndlessRecursion(validateFunction);
  return validateFunction;
}

/** Values that reach every keyword evaluated in place (every error is collected, so nothing stops early). */
const probeValues: readonly unknown[] = [null, true, 0, '', [], {}];

/**
 * The guard refuses `$ref` cycles that never reach a property or item, but Ajv resolves some
 * `$dynamicRef`s differently from the specification and can still loop on one value. A few probe
 * validations at compile time find that before any model is paid, as a stack overflow.
 */
function refuseEndlessRecursion(validateFunction: ValidateFunction): void {
  try {
    for (const value of probeValues) validateFunction(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new AppError('invalid_schema', 'Validating against the schema recurses without end', {
      cause: error,
      errors: [
        {
          path: '/schema',
          message: 'a $ref or $dynamicRef leads back to the same value without reaching a property or item',
        },
      ],
    });
  }
}

/** What an answer gets when validating it overflows the stack (nesting far beyond any real answer). */
const bottomlessError: FieldError = {
  path: '',
  message: 'could not be validated: the value nests too deeply for the schema to be checked',
  keyword: 'depth',
};

/**
 * `$async` is Ajv's own keyword, not JSON Schema: it makes validation return a promise, which would
 * read as "valid" and reject later, unobserved. The service validates synchronously, so it is ignored
 * wherever it sits in a subschema; one reached only through a `$ref` into unknown keywords makes Ajv
 * refuse the schema ("async schema referenced by sync schema"), so no validator is ever asynchronous.
 */
function removeAsync(schema: unknown): void {
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!isPlainObject(current)) continue;
    delete current.$async;
    for (const entry of subschemasOf(current)) pending.push(entry.schema);
  }
}

/**
 * Ajv errors as FieldErrors. A missing or unexpected property is reported at the property's own path
 * (`/address/city`), not its parent's, because that is how a model (and a person) finds it.
 */
function toFieldErrors(errors: readonly ErrorObject[], maxErrors = 50): FieldError[] {
  const result: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const field = toFieldError(error);
    const key = `${field.path}\u0000${field.keyword}\u0000${field.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(field);
  }
  if (result.length <= maxErrors) return result;
  const omitted = result.length - maxErrors;
  return [
    ...result.slice(0, maxErrors),
    { path: '', message: `${omitted} more errors omitted`, keyword: 'errors' },
  ];
}

function toFieldError(error: ErrorObject): FieldError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: `${error.instancePath}/${escapePointerSegment(String(params.missingProperty))}`,
        message: 'is required but missing',
        keyword: 'required',
      };
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      return {
        path: `${error.instancePath}/${escapePointerSegment(name)}`,
        message: 'is not allowed by the schema (unexpected property)',
        keyword: error.keyword,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ');
      return { path: error.instancePath, message: `must be one of ${allowed}`, keyword: 'enum' };
    }
    case 'const':
      return {
        path: error.instancePath,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
        keyword: 'const',
      };
    default:
      return { path: error.instancePath, message: error.message ?? 'is invalid', keyword: error.keyword };
  }
}
