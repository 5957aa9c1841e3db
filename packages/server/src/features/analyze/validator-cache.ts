import type { FieldError } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import AjvModule, { type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson, schemaHash } from '../../lib/canonical-json.ts';
import { escapePointerSegment } from './schema-walk.ts';

// CommonJS packages: under Node's ESM loader the class is the module's default export's `default`.
const Ajv = AjvModule.default;
const Ajv2020 = Ajv2020Module.default;
const addFormats = formatsModule.default;

export type SchemaDialect = 'draft-07' | '2020-12';
type AnyAjv = InstanceType<typeof Ajv> | InstanceType<typeof Ajv2020>;

const draft07Uris = new Set([
  'http://json-schema.org/draft-07/schema',
  'https://json-schema.org/draft-07/schema',
]);
const draft2020Uris = new Set([
  'https://json-schema.org/draft/2020-12/schema',
  'http://json-schema.org/draft/2020-12/schema',
]);

/** Dialect named by `$schema` (absent: 2020-12); undefined for any other meta-schema. */
export function schemaDialect(schema: JsonSchema): SchemaDialect | undefined {
  if (typeof schema === 'boolean' || schema.$schema === undefined) return '2020-12';
  if (typeof schema.$schema !== 'string') return undefined;
  const uri = schema.$schema.replace(/#$/, '');
  if (draft07Uris.has(uri)) return 'draft-07';
  if (draft2020Uris.has(uri)) return '2020-12';
  return undefined;
}

/**
 * An Ajv instance as the service uses it: every error (so one re-ask can fix them all), formats,
 * unknown keywords tolerated (schemas carry vendor annotations), nothing logged to the console, and
 * compiled schemas not registered by `$id` (two requests may reuse an `$id` for different schemas).
 */
export function createAjv(dialect: SchemaDialect): AnyAjv {
  const options = { allErrors: true, strict: false, logger: false as const, addUsedSchema: false };
  const ajv = dialect === 'draft-07' ? new Ajv(options) : new Ajv2020(options);
  addFormats(ajv);
  return ajv;
}

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
}

interface Entry {
  validator: CompiledValidator;
  ajv: AnyAjv;
  compiledSchema: AnySchema;
}

/**
 * Compiled Ajv validators keyed by the schema's canonical hash, so equal schemas compile once however
 * their keys are ordered. Bounded LRU; evicted schemas are removed from Ajv too, which otherwise keeps
 * every compiled schema forever.
 */
export class ValidatorCache {
  readonly #ajv: Record<SchemaDialect, AnyAjv>;
  readonly #entries: LRUCache<string, Entry>;
  readonly #maxErrors: number;
  #compilations = 0;

  constructor(options: ValidatorCacheOptions) {
    this.#ajv = { 'draft-07': createAjv('draft-07'), '2020-12': createAjv('2020-12') };
    this.#maxErrors = options.maxErrors ?? 50;
    this.#entries = new LRUCache<string, Entry>({
      max: options.maxEntries,
      dispose: (entry) => entry.ajv.removeSchema(entry.compiledSchema),
    });
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
    if (cached !== undefined) return cached.validator;

    const dialect = schemaDialect(schema);
    if (dialect === undefined) {
      throw new AppError('invalid_schema', 'Only JSON Schema draft-07 and 2020-12 are supported', {
        errors: [{ path: '/schema/$schema', message: 'unsupported meta-schema', keyword: '$schema' }],
      });
    }
    const ajv = this.#ajv[dialect];
    // Compile a private copy: the caller's object may be mutated later, and Ajv caches by identity.
    const compiledSchema = JSON.parse(canonicalJson(schema)) as AnySchema;
    let validateFunction: ValidateFunction;
    try {
      validateFunction = ajv.compile(compiledSchema);
    } catch (error) {
      throw new AppError('invalid_schema', `The schema cannot be compiled: ${(error as Error).message}`, {
        cause: error,
        errors: [{ path: '/schema', message: (error as Error).message }],
      });
    }
    this.#compilations += 1;
    const maxErrors = this.#maxErrors;
    const validator: CompiledValidator = {
      hash,
      dialect,
      validate(data) {
        if (validateFunction(data)) return [];
        return toFieldErrors(validateFunction.errors ?? [], maxErrors);
      },
    };
    this.#entries.set(hash, { validator, ajv, compiledSchema });
    return validator;
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
