import type { SchemaExample } from '@structured-prompt/contracts';

/** One schema of the common library: shipped with the service, public, owned by the system. */
export interface LibraryEntry {
  name: string;
  description: string;
  tags: string[];
  schema: Record<string, unknown>;
  /** At least one; every output validates against `schema` (a test holds the library to it). */
  examples: SchemaExample[];
}

export const draft2020 = 'https://json-schema.org/draft/2020-12/schema';

export const str = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'string',
  description,
  ...extra,
});
export const num = (description: string, extra: Record<string, unknown> = {}) => ({
  type: 'number',
  description,
  ...extra,
});
export const nullable = (type: string, description: string, extra: Record<string, unknown> = {}) => ({
  type: [type, 'null'],
  description,
  ...extra,
});
export const isoDate = (description: string) => nullable('string', description, { format: 'date' });
export const currency = {
  type: 'string',
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code',
};
