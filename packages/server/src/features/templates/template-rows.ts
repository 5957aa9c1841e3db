import type { TemplateDefaults, TemplateParameter } from '@structured-prompt/contracts';
import type { Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { TemplatesTable, TemplateVersionsTable } from '../../platform/storage/database-schema.ts';
import { fromJsonText, toBoolean, toDate, toDateOrNull, toJsonText } from '../../platform/storage/dialect.ts';
import type { VersionContent } from './template-versioning.ts';
import type { TemplateRecord, TemplateVersionRecord } from './templates.repository.ts';

/** Rows to records and back; JSON, booleans and timestamps decoded the same way on both dialects. */
export function versionRow(
  templateId: string,
  version: string,
  content: VersionContent,
  createdBy: string | null,
  at: Date,
) {
  return {
    id: uuidv7({ msecs: at.getTime() }),
    template_id: templateId,
    version,
    template_text: content.template,
    parameters: toJsonText(content.parameters),
    schema_ref: content.schema?.id ?? null,
    schema_version: content.schema?.version ?? null,
    defaults: toJsonText(content.defaults),
    created_by: createdBy,
    created_at: at,
  };
}

export function toTemplate(row: Selectable<TemplatesTable>): TemplateRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    isPublic: toBoolean(row.is_public),
    tags: fromJsonText<string[]>(row.tags) ?? [],
    ownerKeyId: row.owner_key_id,
    isLibrary: toBoolean(row.is_library),
    latestVersion: row.latest_version,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    deletedAt: toDateOrNull(row.deleted_at),
  };
}

export function toVersion(row: Selectable<TemplateVersionsTable>): TemplateVersionRecord {
  const schemaVersion = row.schema_version ?? undefined;
  return {
    id: row.id,
    templateId: row.template_id,
    version: row.version,
    content: {
      template: row.template_text,
      parameters: fromJsonText<TemplateParameter[]>(row.parameters) ?? [],
      schema: row.schema_ref
        ? { id: row.schema_ref, ...(schemaVersion && { version: schemaVersion }) }
        : null,
      defaults: fromJsonText<TemplateDefaults>(row.defaults) ?? {},
    },
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
  };
}
