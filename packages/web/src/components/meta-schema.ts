import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };

/** The JSON Schema meta-schema the schema editors check against and complete from. */
export const metaSchema: object = draft07;
