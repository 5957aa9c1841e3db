import type { Static, TSchema } from 'typebox';

/**
 * A schema from a library that describes itself by the Standard JSON Schema interface (Zod 4,
 * Valibot, ArkType): the SDK asks it for its JSON Schema and takes the answer's type from it.
 */
export interface StandardJsonSchema<Output = unknown> {
  readonly '~standard': {
    readonly types?: { readonly output: Output } | undefined;
    readonly jsonSchema: {
      readonly output: (options: { readonly target: string }) => Record<string, unknown>;
    };
  };
}

/** What `analyze` takes as `schema`: a plain JSON Schema, a TypeBox schema or a Standard JSON Schema. */
export type SchemaLike = Record<string, unknown> | boolean | TSchema | StandardJsonSchema;

/** The type of `data` a schema describes: inferred for TypeBox and Standard schemas, a record otherwise. */
export type DataOf<S> =
  S extends StandardJsonSchema<infer Output>
    ? Output
    : S extends TSchema
      ? // A plain JSON Schema object also matches TSchema, and has no static type of its own.
        unknown extends Static<S>
        ? Record<string, unknown>
        : Static<S>
      : Record<string, unknown>;

function isStandardJsonSchema(schema: unknown): schema is StandardJsonSchema {
  const standard = (schema as { '~standard'?: { jsonSchema?: unknown } } | null)?.['~standard'];
  return typeof standard?.jsonSchema === 'object' && standard.jsonSchema !== null;
}

/** The JSON Schema to send: a Standard schema converts itself (2020-12); anything else is sent as is. */
export function toJsonSchema(schema: SchemaLike): Record<string, unknown> | boolean {
  if (isStandardJsonSchema(schema)) return schema['~standard'].jsonSchema.output({ target: 'draft-2020-12' });
  return schema as Record<string, unknown> | boolean;
}
