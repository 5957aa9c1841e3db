import { type PagedList, type PageOptions, pagedList } from '../pagination.ts';
import type { CallOptions, Query, Transport } from '../transport.ts';
import type {
  CreateSchemaRequest,
  PublishedSchemaVersion,
  PublishSchemaVersionRequest,
  SchemaDetail,
  SchemaListQuery,
  SchemaSummary,
  SchemaVersion,
  UpdateSchemaRequest,
} from '../types.ts';

const encode = encodeURIComponent;

/** The schema registry: named, versioned JSON Schemas that analyze can use by `schema_id`. */
export class Schemas {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  create(request: CreateSchemaRequest, options?: CallOptions): Promise<SchemaDetail> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/schemas',
      body: request,
      idempotent: false,
      options,
    });
  }

  /** Schemas visible to the key; filter with `q`, `tag`, `visibility`, `owner`, `library`. */
  list(
    filters: Omit<SchemaListQuery, 'limit' | 'cursor'> = {},
    options?: PageOptions,
  ): PagedList<SchemaSummary> {
    return pagedList(this.#transport, '/v1/schemas', options, filters as Query);
  }

  /** A schema by id or name, with its latest version. */
  get(ref: string, options?: CallOptions): Promise<SchemaDetail> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/schemas/${encode(ref)}`,
      idempotent: true,
      options,
    });
  }

  update(ref: string, request: UpdateSchemaRequest, options?: CallOptions): Promise<SchemaSummary> {
    return this.#transport.json({
      method: 'PUT',
      path: `/v1/schemas/${encode(ref)}`,
      body: request,
      idempotent: true,
      options,
    });
  }

  delete(ref: string, options?: CallOptions): Promise<SchemaSummary> {
    return this.#transport.json({
      method: 'DELETE',
      path: `/v1/schemas/${encode(ref)}`,
      idempotent: true,
      options,
    });
  }

  /** Publishes a new version; the service derives the semver bump from the change unless told. */
  publish(
    ref: string,
    request: PublishSchemaVersionRequest,
    options?: CallOptions,
  ): Promise<PublishedSchemaVersion> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/schemas/${encode(ref)}/versions`,
      body: request,
      idempotent: false,
      options,
    });
  }

  versions(ref: string, options?: PageOptions): PagedList<SchemaVersion> {
    return pagedList(this.#transport, `/v1/schemas/${encode(ref)}/versions`, options);
  }

  version(ref: string, version: string, options?: CallOptions): Promise<SchemaVersion> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/schemas/${encode(ref)}/versions/${encode(version)}`,
      idempotent: true,
      options,
    });
  }
}
