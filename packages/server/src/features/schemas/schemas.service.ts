import type {
  CreateSchemaRequest,
  FieldError,
  PublishSchemaVersionRequest,
  SchemaExample,
  SchemaListQuery,
  TargetPreflight,
  UpdateSchemaRequest,
} from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import { isUuid } from '../../platform/storage/dialect.ts';
import type { Page, PageRequest } from '../../platform/storage/pagination.ts';
import type { SchemaGuard } from '../analyze/schema-guard.ts';
import type { ValidatorCache } from '../analyze/validator-cache.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import { type ProviderList, preflight } from './schema-preflight.ts';
import type { SchemaFilter, SchemaRecord, SchemaVersionRecord } from './schema-records.ts';
import { canSee, type SchemaCaller, type SchemaRegistry, unknownSchema } from './schema-registry.ts';
import type { SchemasRepository } from './schemas.repository.ts';
import { changeLevel, diffSchemas, isLaterVersion, proposeVersion } from './version-diff.ts';

/** The caller of an administrative action, for ownership checks and the audit log. */
export interface SchemaActor extends SchemaCaller {
  ip: string | null;
  requestId: string | null;
}

export interface SchemasServiceOptions {
  repository: SchemasRepository;
  registry: SchemaRegistry;
  guard: Pick<SchemaGuard, 'check'>;
  validators: Pick<ValidatorCache, 'get'>;
  providers: ProviderList;
  audit: AuditService;
}

export interface PublishOutcome {
  record: SchemaRecord;
  version: SchemaVersionRecord;
  proposedVersion: string;
  published: boolean;
  preflight: TargetPreflight[];
}

/** The registry's rules: who sees and changes what, what a new version is called, what is checked. */
export class SchemasService {
  readonly #options: SchemasServiceOptions;

  constructor(options: SchemasServiceOptions) {
    this.#options = options;
  }

  async create(
    input: CreateSchemaRequest,
    actor: SchemaActor,
  ): Promise<{ record: SchemaRecord; version: SchemaVersionRecord; preflight: TargetPreflight[] }> {
    if (isUuid(input.name)) {
      throw new AppError('validation_error', 'A schema name cannot have the form of an id.', {
        errors: [{ path: '/name', message: 'must not be a UUID: ids and names share `schema_id`' }],
      });
    }
    const schema = this.#check(input.schema, input.examples);
    const { record, version } = await this.#options.repository.create({
      name: input.name,
      description: input.description ?? null,
      isPublic: input.visibility === 'public',
      tags: input.tags ?? [],
      ownerKeyId: actor.keyId,
      first: {
        version: input.version ?? '1.0.0',
        schema,
        schemaHash: schemaHash(schema),
        examples: input.examples ?? [],
        createdBy: actor.keyId,
      },
    });
    await this.#options.registry.invalidate(record.id);
    this.#audit('schema.created', record, actor, { version: version.version });
    return { record, version, preflight: preflight(schema, this.#options.providers) };
  }

  list(query: SchemaListQuery, caller: SchemaCaller): Promise<Page<SchemaRecord>> {
    const owner = query.owner;
    if (owner !== undefined && owner !== 'me' && owner !== 'system' && !isUuid(owner)) {
      throw new AppError('validation_error', 'owner must be `me`, `system` or a key id.', {
        errors: [{ path: '/owner', message: 'must be me, system or a UUID' }],
      });
    }
    const filter: SchemaFilter = {
      visibleTo: caller.isAdmin ? undefined : caller.keyId,
      text: query.q,
      tag: query.tag,
      isPublic: query.visibility === undefined ? undefined : query.visibility === 'public',
      ownerKeyId: owner === 'me' ? caller.keyId : owner === 'system' ? null : owner,
      isLibrary: query.library,
      includeDeleted: caller.isAdmin && query.include_deleted === true,
    };
    return this.#options.repository.list(filter, { limit: query.limit, cursor: query.cursor });
  }

  /** A schema the caller can see with its latest version; deleted ones only by id. */
  async get(
    ref: string,
    caller: SchemaCaller,
  ): Promise<{ record: SchemaRecord; latest: SchemaVersionRecord }> {
    const record = await this.#visible(ref, caller);
    return { record, latest: await this.#requireVersion(record, record.latestVersion) };
  }

  async update(ref: string, patch: UpdateSchemaRequest, actor: SchemaActor): Promise<SchemaRecord> {
    const before = await this.#writable(ref, actor);
    const record = await this.#options.repository.update(before.id, {
      description: patch.description,
      isPublic: patch.visibility === undefined ? undefined : patch.visibility === 'public',
      tags: patch.tags,
    });
    if (!record) throw unknownSchema(ref);
    await this.#options.registry.invalidate(record.id);
    this.#audit('schema.updated', record, actor, { fields: Object.keys(patch) });
    return record;
  }

  async remove(ref: string, actor: SchemaActor): Promise<SchemaRecord> {
    const before = await this.#writable(ref, actor);
    const record = (await this.#options.repository.softDelete(before.id)) ?? before;
    await this.#options.registry.invalidate(record.id);
    this.#audit('schema.deleted', record, actor);
    return record;
  }

  /** A new immutable version (or, on a dry run, what it would be called and why). */
  async publish(
    ref: string,
    input: PublishSchemaVersionRequest,
    actor: SchemaActor,
  ): Promise<PublishOutcome> {
    const record = await this.#writable(ref, actor);
    const schema = this.#check(input.schema, input.examples);
    const latest = await this.#requireVersion(record, record.latestVersion);
    const hash = schemaHash(schema);
    if (hash === latest.schemaHash) {
      throw new AppError(
        'conflict',
        `The schema body is the same as the latest version (${latest.version}).`,
      );
    }
    const changes = diffSchemas(latest.schema, schema);
    const proposedVersion = proposeVersion(latest.version, changeLevel(changes));
    const version = input.version ?? proposedVersion;
    if (!isLaterVersion(version, latest.version)) {
      throw new AppError(
        'validation_error',
        `The version must be higher than the latest one (${latest.version}).`,
        {
          errors: [{ path: '/version', message: `must be higher than ${latest.version}` }],
        },
      );
    }
    const report = preflight(schema, this.#options.providers);
    const draft = {
      version,
      description: input.description ?? null,
      schema,
      schemaHash: hash,
      examples: input.examples ?? [],
      changes,
      createdBy: actor.keyId,
    };
    if (input.dry_run) {
      const unsaved = {
        ...draft,
        id: '',
        schemaId: record.id,
        sequence: record.latestSequence + 1,
        createdAt: new Date(),
      };
      return { record, version: unsaved, proposedVersion, published: false, preflight: report };
    }
    const saved = await this.#options.repository.addVersion(record.id, record.latestSequence, draft);
    await this.#options.registry.invalidate(record.id);
    this.#audit('schema.version_published', record, actor, { version, proposed: proposedVersion });
    return { record, version: saved, proposedVersion, published: true, preflight: report };
  }

  async listVersions(
    ref: string,
    page: PageRequest,
    caller: SchemaCaller,
  ): Promise<{ record: SchemaRecord; page: Page<SchemaVersionRecord> }> {
    const record = await this.#visible(ref, caller);
    return { record, page: await this.#options.repository.listVersions(record.id, page) };
  }

  /** One version (`latest` for the newest) with its compile report for today's providers. */
  async getVersion(
    ref: string,
    version: string,
    caller: SchemaCaller,
  ): Promise<{ record: SchemaRecord; version: SchemaVersionRecord; preflight: TargetPreflight[] }> {
    const record = await this.#visible(ref, caller);
    const found = await this.#requireVersion(record, version === 'latest' ? record.latestVersion : version);
    return {
      record,
      version: found,
      preflight: preflight(found.schema as JsonSchema, this.#options.providers),
    };
  }

  /** The guard's checks, then every example's output validated against the schema. */
  #check(body: unknown, examples: SchemaExample[] | undefined): JsonSchema {
    const schema = this.#options.guard.check(body);
    const validator = this.#options.validators.get(schema);
    const errors: FieldError[] = [];
    for (const [index, example] of (examples ?? []).entries()) {
      for (const error of validator.validate(example.output)) {
        errors.push({ ...error, path: `/examples/${index}/output${error.path}` });
      }
    }
    if (errors.length > 0)
      throw new AppError('validation_error', 'An example output does not validate against the schema.', {
        errors,
      });
    return schema;
  }

  async #find(ref: string): Promise<SchemaRecord | null> {
    const { repository } = this.#options;
    return (await repository.getById(ref)) ?? (await repository.getByName(ref));
  }

  async #visible(ref: string, caller: SchemaCaller): Promise<SchemaRecord> {
    const record = await this.#find(ref);
    if (!record || !canSee(record, caller)) throw unknownSchema(ref);
    return record;
  }

  /** Visible (else 404), not deleted (else 404), and the caller's own or the caller an admin (else 403). */
  async #writable(ref: string, actor: SchemaActor): Promise<SchemaRecord> {
    const record = await this.#visible(ref, actor);
    if (record.deletedAt !== null) throw unknownSchema(ref);
    if (!actor.isAdmin && record.ownerKeyId !== actor.keyId) {
      throw new AppError('forbidden', 'Only the key that owns this schema, or an admin key, can change it.');
    }
    return record;
  }

  async #requireVersion(record: SchemaRecord, version: string): Promise<SchemaVersionRecord> {
    const found = await this.#options.repository.getVersion(record.id, version);
    if (!found) throw new AppError('not_found', `Schema "${record.name}" has no version ${version}.`);
    return found;
  }

  #audit(
    eventType: string,
    record: SchemaRecord,
    actor: SchemaActor,
    details: Record<string, unknown> = {},
  ): void {
    this.#options.audit.record({
      eventType,
      result: 'success',
      actorKeyId: actor.keyId,
      ip: actor.ip,
      requestId: actor.requestId,
      resource: `schema:${record.id}`,
      details: { name: record.name, ...details },
    });
  }
}
