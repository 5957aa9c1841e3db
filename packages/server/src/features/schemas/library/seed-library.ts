import type { Logger } from 'pino';
import { AppError } from '../../../lib/app-error.ts';
import { schemaHash } from '../../../lib/canonical-json.ts';
import type { NewSchema, SchemaRecord } from '../schema-records.ts';
import type { SchemaRegistry } from '../schema-registry.ts';
import type { SchemasRepository } from '../schemas.repository.ts';
import { changeLevel, diffSchemas, proposeVersion } from '../version-diff.ts';
import { extractionSchemas } from './extraction-schemas.ts';
import { languageSchemas } from './language-schemas.ts';
import type { LibraryEntry } from './library-entry.ts';

/** The common schema library, in the order it is listed. */
export const schemaLibrary: readonly LibraryEntry[] = [...extractionSchemas, ...languageSchemas];

export interface SeedResult {
  created: string[];
  /** Names that got a new version because the shipped body changed. */
  updated: string[];
}

/**
 * Brings the library in the database up to the shipped one: a missing entry is created (public,
 * owner: system, version 1.0.0), an entry whose shipped body is new (no version ever had it) gets a
 * new version numbered like any other, and an unchanged one costs nothing. A version an admin
 * published stays the latest until a release ships a new body. Safe to run on every start of every replica: a
 * concurrent replica's insert shows as a conflict and is left to it.
 */
export async function seedLibrary(
  repository: SchemasRepository,
  registry: Pick<SchemaRegistry, 'invalidate'>,
  logger: Logger,
  library: readonly LibraryEntry[] = schemaLibrary,
): Promise<SeedResult> {
  const state = await repository.libraryState();
  const result: SeedResult = { created: [], updated: [] };
  const missing = library.filter((entry) => !state.has(entry.name));
  // A fresh database takes the whole library in one transaction; a conflict means another replica
  // (or a user's schema of that name) got there first, and the entries are then tried one by one.
  if (missing.length > 0 && (await createAll(repository, missing)))
    result.created.push(...missing.map((entry) => entry.name));
  for (const entry of library) {
    if (result.created.includes(entry.name)) continue;
    const hash = schemaHash(entry.schema);
    const existing = state.get(entry.name);
    if (existing?.hashes.has(hash)) continue;
    try {
      if (!existing) {
        await repository.create(toNewSchema(entry));
        result.created.push(entry.name);
      } else {
        await upgradeEntry(repository, existing.record, entry, hash);
        await registry.invalidate(existing.record.id);
        result.updated.push(entry.name);
      }
    } catch (error) {
      if (!isConflict(error)) throw error;
      logger.info(
        { schema: entry.name },
        'library schema seeded elsewhere or its name is taken; left as it is',
      );
    }
  }
  return result;
}

const isConflict = (error: unknown) => error instanceof AppError && error.code === 'conflict';

async function createAll(repository: SchemasRepository, entries: LibraryEntry[]): Promise<boolean> {
  try {
    await repository.createMany(entries.map(toNewSchema));
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

function toNewSchema(entry: LibraryEntry): NewSchema {
  return {
    name: entry.name,
    description: entry.description,
    isPublic: true,
    isLibrary: true,
    tags: entry.tags,
    ownerKeyId: null,
    first: {
      version: '1.0.0',
      schema: entry.schema,
      schemaHash: schemaHash(entry.schema),
      examples: entry.examples,
    },
  };
}

async function upgradeEntry(
  repository: SchemasRepository,
  record: SchemaRecord,
  entry: LibraryEntry,
  hash: string,
) {
  const latest = await repository.getVersion(record.id, record.latestVersion);
  const changes = diffSchemas(latest?.schema, entry.schema);
  await repository.addVersion(record.id, record.latestSequence, {
    version: proposeVersion(record.latestVersion, changeLevel(changes)),
    description: 'Updated with the service',
    schema: entry.schema,
    schemaHash: hash,
    examples: entry.examples,
    changes,
  });
  await repository.update(record.id, { description: entry.description, tags: entry.tags });
}
