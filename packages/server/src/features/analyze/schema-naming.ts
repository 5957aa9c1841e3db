import { AppError } from '../../lib/app-error.ts';

/** 400 for a request that sends an inline schema and a registry reference. */
export const bothSchemas = () =>
  new AppError('validation_error', 'Send either an inline `schema` or a `schema_id`, not both.', {
    errors: [{ path: '/schema_id', message: 'must not be given together with schema' }],
  });

/** Names an inline schema for cache namespaces and tool names: its `title` when it has a usable one. */
export function schemaNameOf(schema: unknown): string {
  const title =
    typeof schema === 'object' && schema !== null ? (schema as { title?: unknown }).title : undefined;
  if (typeof title === 'string') {
    const slug = title
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 48);
    if (slug) return slug;
  }
  return 'inline';
}
