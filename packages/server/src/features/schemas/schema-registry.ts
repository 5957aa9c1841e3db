import type { JsonSchema } from '@structured-prompt/gateway';
import { LRUCache } from 'lru-cache';
import { AppError } from '../../lib/app-error.ts';
import type { KeyInvalidationBus } from '../../platform/key-bus/key-invalidation-bus.ts';
import { isUuid } from '../../platform/storage/dialect.ts';
import type { SchemaRecord, SchemaVersionRecord } from './schema-records.ts';
import type { SchemasRepository } from './schemas.repository.ts';

/** Who is asking: a key, and whether it is an admin key (admins see every schema). */
export interface SchemaCaller {
  keyId: string;
  isAdmin: boolean;
}

/** A registry reference resolved to one immutable version. */
export interface ResolvedSchema {
  record: SchemaRecord;
  version: SchemaVersionRecord;
  /** The version's body; the same object for every request while it is cached. */
  schema: JsonSchema;
}

export interface SchemaRegistryOptions {
  repository: Pick<SchemasRepository, 'getById' | 'getByName' | 'getVersion'>;
  /** Carries `schema:<id>` to every replica after each change. */
  bus: KeyInvalidationBus;
  /** Upper bound on staleness should an invalidation be missed (Redis briefly down). */
  ttlMs?: number;
  maxEntries?: number;
}

const messagePrefix = 'schema:';

/** `name`, `id`, `name@1.2.0` → the schema part and the pinned version, if any. */
function parseSchemaRef(ref: string): { target: string; version: string | undefined } {
  const at = ref.lastIndexOf('@');
  return at === -1
    ? { target: ref, version: undefined }
    : { target: ref.slice(0, at), version: ref.slice(at + 1) };
}

/** Whether `record` may be seen (and used) by `caller`: public ones by all, private ones by the owner and admins. */
export function canSee(record: SchemaRecord, caller: SchemaCaller): boolean {
  return record.isPublic || caller.isAdmin || record.ownerKeyId === caller.keyId;
}

export const unknownSchema = (ref: string) =>
  new AppError('not_found', `No schema "${ref}" that this key can use.`, { context: { ref } });

/**
 * Resolves `schema_id` references (id or name, optionally `@version`) for the analyze pipeline and
 * other features (templates link a schema the same way). Schemas and name lookups are cached in
 * process; every change is announced on the bus and drops the entry on every replica. Versions are
 * immutable and cached without invalidation.
 */
export class SchemaRegistry {
  readonly #repository: SchemaRegistryOptions['repository'];
  readonly #bus: KeyInvalidationBus;
  readonly #records: LRUCache<string, SchemaRecord>;
  readonly #names: LRUCache<string, string>;
  readonly #versions: LRUCache<string, ResolvedSchema['version']>;
  /** Bumped by every invalidation, so a read that raced a change is not cached. */
  #generation = 0;

  constructor(options: SchemaRegistryOptions) {
    this.#repository = options.repository;
    this.#bus = options.bus;
    const ttl = options.ttlMs ?? 60_000;
    const max = options.maxEntries ?? 1000;
    this.#records = new LRUCache({ max, ttl });
    this.#names = new LRUCache({ max, ttl });
    this.#versions = new LRUCache({ max });
    this.#bus.subscribe((message) => {
      if (message.startsWith(messagePrefix)) this.#drop(message.slice(messagePrefix.length));
    });
  }

  /**
   * The version `ref` names, for `caller`. Throws a 404 AppError when the schema or version does not
   * exist, is deleted, or is private to another key (indistinguishable on purpose).
   */
  async resolve(ref: string, caller: SchemaCaller): Promise<ResolvedSchema> {
    const { target, version } = parseSchemaRef(ref);
    const record = await this.#record(target);
    if (!record || record.deletedAt !== null || !canSee(record, caller)) throw unknownSchema(ref);
    const resolved = await this.#version(record, version ?? record.latestVersion);
    if (!resolved) throw unknownSchema(ref);
    return { record, version: resolved, schema: resolved.schema as JsonSchema };
  }

  /** Announces a change of the schema to every replica (this one included, before it resolves). */
  invalidate(schemaId: string): Promise<void> {
    return this.#bus.publish(`${messagePrefix}${schemaId}`);
  }

  async #record(target: string): Promise<SchemaRecord | null> {
    const id = isUuid(target) ? target.toLowerCase() : this.#names.get(target);
    const cached = id === undefined ? undefined : this.#records.get(id);
    if (cached) return cached;
    const generation = this.#generation;
    const record = isUuid(target)
      ? await this.#repository.getById(target)
      : await this.#repository.getByName(target);
    if (record && generation === this.#generation) {
      this.#records.set(record.id, record);
      if (record.deletedAt === null) this.#names.set(record.name, record.id);
    }
    return record;
  }

  async #version(record: SchemaRecord, version: string): Promise<SchemaVersionRecord | null> {
    const key = `${record.id}@${version}`;
    const cached = this.#versions.get(key);
    if (cached) return cached;
    const loaded = await this.#repository.getVersion(record.id, version);
    if (loaded) this.#versions.set(key, loaded);
    return loaded;
  }

  #drop(schemaId: string): void {
    this.#generation += 1;
    this.#records.delete(schemaId);
    for (const [name, id] of this.#names.entries()) if (id === schemaId) this.#names.delete(name);
  }
}
