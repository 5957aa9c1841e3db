/** The schema builder's form model, and its translation to and from JSON Schema. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'array' | 'object';

export interface Field {
  key: number;
  name: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** minimum/maximum for numbers, minLength/maxLength for strings, minItems/maxItems for arrays. */
  min: string;
  max: string;
  pattern: string;
  format: string;
  /** Comma-separated values of an enum. */
  values: string;
  /** Properties of an object, or the single item description of an array (named `items`). */
  children: Field[];
}

type JsonSchema = Record<string, unknown>;

let nextKey = 1;
export function newField(type: FieldType = 'string', name = ''): Field {
  const field: Field = {
    key: nextKey++,
    name,
    type,
    required: false,
    description: '',
    min: '',
    max: '',
    pattern: '',
    format: '',
    values: '',
    children: [],
  };
  if (type === 'array') field.children = [newField('string', 'items')];
  return field;
}

const bounds: Record<string, [string, string]> = {
  string: ['minLength', 'maxLength'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  array: ['minItems', 'maxItems'],
};

function fieldSchema(field: Field): JsonSchema {
  const schema: JsonSchema = {};
  if (field.type === 'enum')
    schema.enum = field.values
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
  else schema.type = field.type;
  if (field.description) schema.description = field.description;
  const [low, high] = bounds[field.type] ?? [];
  if (low && field.min !== '') schema[low] = Number(field.min);
  if (high && field.max !== '') schema[high] = Number(field.max);
  if (field.type === 'string' && field.pattern) schema.pattern = field.pattern;
  if (field.type === 'string' && field.format) schema.format = field.format;
  if (field.type === 'object') Object.assign(schema, objectSchema(field.children));
  if (field.type === 'array' && field.children[0]) schema.items = fieldSchema(field.children[0]);
  return schema;
}

/** The object schema of a list of fields; unnamed fields are left out until they get a name. */
export function objectSchema(fields: Field[]): JsonSchema {
  const named = fields.filter((field) => field.name.trim() !== '');
  const properties = Object.fromEntries(named.map((field) => [field.name, fieldSchema(field)]));
  const required = named.filter((field) => field.required).map((field) => field.name);
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

const text = (value: unknown) => (value === undefined ? '' : String(value));

function typeOf(schema: JsonSchema): FieldType {
  if (Array.isArray(schema.enum)) return 'enum';
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  return ['string', 'number', 'integer', 'boolean', 'array', 'object'].includes(type as string)
    ? (type as FieldType)
    : 'string';
}

function fieldFrom(name: string, schema: JsonSchema, required: boolean): Field {
  const type = typeOf(schema);
  const field = newField(type, name);
  field.required = required;
  field.description = text(schema.description);
  const [low, high] = bounds[type] ?? [];
  if (low) field.min = text(schema[low]);
  if (high) field.max = text(schema[high]);
  field.pattern = text(schema.pattern);
  field.format = text(schema.format);
  if (type === 'enum') field.values = (schema.enum as unknown[]).map(String).join(', ');
  if (type === 'object') field.children = fieldsFrom(schema);
  if (type === 'array')
    field.children = [fieldFrom('items', (schema.items as JsonSchema | undefined) ?? {}, false)];
  return field;
}

/** The form fields of an object schema (keywords the form has no control for are not kept). */
export function fieldsFrom(schema: JsonSchema): Field[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) =>
    fieldFrom(name, property ?? {}, required.has(name)),
  );
}

/** The list with one field replaced, removed, or moved by `offset` places. */
export function replaceField(fields: Field[], key: number, next: Field | null): Field[] {
  return next === null
    ? fields.filter((field) => field.key !== key)
    : fields.map((field) => (field.key === key ? next : field));
}

export function moveField(fields: Field[], key: number, offset: number): Field[] {
  const from = fields.findIndex((field) => field.key === key);
  const to = from + offset;
  if (from < 0 || to < 0 || to >= fields.length) return fields;
  const moved = [...fields];
  const [field] = moved.splice(from, 1);
  moved.splice(to, 0, field!);
  return moved;
}
