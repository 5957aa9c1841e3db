import type { JsonSchema } from '@structured-prompt/gateway';
import AjvModule, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import Ajv2019Module from 'ajv/dist/2019.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import AjvDraft04Module from 'ajv-draft-04';
import formatsModule from 'ajv-formats';
import { isPlainObject, isSchemaLike, subschemasOf } from './schema-walk.ts';

// CommonJS packages: under Node's ESM loader the class is the module's default export's `default`.
const Ajv = AjvModule.default;
const Ajv2019 = Ajv2019Module.default;
const Ajv2020 = Ajv2020Module.default;
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = formatsModule.default;

export type SchemaDialect = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';
export type AnyAjv = InstanceType<typeof Ajv>;

/** Each dialect's meta-schema URI, as `$schema` names it (http or https, with or without `#`). */
const metaSchemaUris: Record<SchemaDialect, string> = {
  'draft-04': 'http://json-schema.org/draft-04/schema',
  'draft-06': 'http://json-schema.org/draft-06/schema',
  'draft-07': 'http://json-schema.org/draft-07/schema',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/** The unversioned alias some schemas carry; it names no dialect, so the dialect is inferred. */
const unversionedUri = 'json-schema.org/schema';

/**
 * Dialects tried, in order, for a schema without `$schema`: the newest whose meta-schema accepts it
 * (ADR 0040). draft-06 is never inferred: whatever its meta-schema accepts, draft-07's does too.
 */
const inferenceOrder: readonly SchemaDialect[] = ['2020-12', '2019-09', 'draft-07', 'draft-04'];

/** 2019-09's recursion keywords: unknown (so silently ignored) in 2020-12, hence read as 2019-09. */
const recursionKeywords2019 = ['$recursiveRef', '$recursiveAnchor'];

/** The meta-schema URIs the service accepts in `$schema`, for error messages. */
export const supportedMetaSchemas: readonly string[] = Object.values(metaSchemaUris);

/**
 * The dialect `$schema` declares: a dialect, `'inferred'` when it is absent or the unversioned alias,
 * undefined when it names anything else.
 */
function declaredDialect(schema: JsonSchema): SchemaDialect | 'inferred' | undefined {
  if (typeof schema === 'boolean' || schema.$schema === undefined) return 'inferred';
  if (typeof schema.$schema !== 'string') return undefined;
  const uri = schema.$schema.replace(/#$/, '').replace(/^https?:\/\//, '');
  if (uri === unversionedUri) return 'inferred';
  for (const [dialect, known] of Object.entries(metaSchemaUris)) {
    if (uri === known.replace(/^https?:\/\//, '')) return dialect as SchemaDialect;
  }
  return undefined;
}

/**
 * An Ajv instance of one dialect, as the service uses it: every error (so one re-ask can fix them
 * all), formats asserted, unknown keywords tolerated (schemas carry vendor annotations), own
 * properties only (a property called `constructor` is not found on Object.prototype), nothing logged.
 */
export function createAjv(dialect: SchemaDialect, extra: Options = {}): AnyAjv {
  const options: Options = { allErrors: true, strict: false, logger: false, ownProperties: true, ...extra };
  const ajv = instanceOf(dialect, options);
  addFormats(ajv);
  return ajv;
}

function instanceOf(dialect: SchemaDialect, options: Options): AnyAjv {
  switch (dialect) {
    case 'draft-04':
      return new AjvDraft04(options);
    case 'draft-06': {
      // The draft-07 class less draft-07's own keywords; the draft-06 meta-schema is added for checks.
      const ajv = new Ajv(options);
      for (const keyword of ['if', 'then', 'else']) ajv.removeKeyword(keyword);
      if (options.meta !== false) ajv.addMetaSchema(draft06MetaSchema);
      return ajv;
    }
    case 'draft-07':
      return new Ajv(options);
    case '2019-09':
      return new Ajv2019(options);
    case '2020-12':
      return new Ajv2020(options);
  }
}

/**
 * Meta-schema validation for every dialect, and the dialect rule. One per process: the meta-schemas
 * are compiled on first use of their dialect, and no user schema is ever added to these instances.
 */
export class SchemaDialects {
  readonly #metaValidators = new Map<SchemaDialect, ValidateFunction>();

  /** Errors of `schema` against the dialect's meta-schema; empty when it is valid. */
  metaErrors(schema: JsonSchema, dialect: SchemaDialect): ErrorObject[] {
    const validate = this.#metaValidator(dialect);
    return validate(schema) ? [] : [...(validate.errors ?? [])];
  }

  /**
   * The dialect a schema is read in: the one `$schema` declares; without one, 2019-09 when it uses
   * 2019-09's recursion keywords, else the newest dialect whose meta-schema accepts it, else 2020-12
   * (whose errors are then reported). Undefined when `$schema` names an unsupported meta-schema.
   */
  dialectOf(schema: JsonSchema): SchemaDialect | undefined {
    const declared = declaredDialect(schema);
    if (declared !== 'inferred') return declared;
    if (usesKeyword(schema, recursionKeywords2019)) return '2019-09';
    return inferenceOrder.find((dialect) => this.metaErrors(schema, dialect).length === 0) ?? '2020-12';
  }

  #metaValidator(dialect: SchemaDialect): ValidateFunction {
    let validate = this.#metaValidators.get(dialect);
    if (validate === undefined) {
      const compiled = createAjv(dialect).getSchema(metaSchemaUris[dialect]);
      if (compiled === undefined) throw new Error(`no meta-schema for ${dialect}`);
      validate = compiled;
      this.#metaValidators.set(dialect, validate);
    }
    return validate;
  }
}

/** Whether any subschema (not data: `const`, `enum`, … are never walked) uses one of `keywords`. */
function usesKeyword(schema: JsonSchema, keywords: readonly string[]): boolean {
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!isPlainObject(current)) continue;
    if (keywords.some((keyword) => Object.hasOwn(current, keyword))) return true;
    for (const entry of subschemasOf(current)) if (isSchemaLike(entry.schema)) pending.push(entry.schema);
  }
  return false;
}
