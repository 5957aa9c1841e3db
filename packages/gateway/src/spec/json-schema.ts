/** A JSON Schema document (draft-07 or 2020-12) as plain data. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
