/** A JSON Schema document (any dialect from draft-04 to 2020-12) as plain data. */
export type JsonSchema = { [keyword: string]: unknown } | boolean;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
