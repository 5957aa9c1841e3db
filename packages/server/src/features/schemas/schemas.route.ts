import {
  CreateSchemaRequest,
  ListQuery,
  PublishedSchemaVersion,
  PublishSchemaVersionRequest,
  SchemaDetail,
  SchemaList,
  SchemaListQuery,
  SchemaRefParams,
  SchemaSummary,
  SchemaVersion,
  SchemaVersionList,
  SchemaVersionParams,
  UpdateSchemaRequest,
} from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import { toSchemaSummary, toSchemaVersion } from './schema-responses.ts';
import type { SchemaActor, SchemasService } from './schemas.service.ts';

const tags = ['schemas'];
const readErrors = problemResponses(400, 401, 404, 429, 500);
const writeErrors = problemResponses(400, 401, 403, 404, 409, 429, 500);

function actorOf(request: FastifyRequest): SchemaActor {
  const { key, isAdmin } = requireAuth(request);
  return { keyId: key.id, isAdmin, ip: request.ip, requestId: request.id };
}

export function schemasRoutes(app: AppInstance, service: SchemasService): void {
  createRoute(app, service);
  listRoute(app, service);
  getRoute(app, service);
  updateRoute(app, service);
  deleteRoute(app, service);
  publishRoute(app, service);
  versionsRoute(app, service);
  versionRoute(app, service);
}

function createRoute(app: AppInstance, service: SchemasService): void {
  const Created = Type.Intersect([SchemaSummary, Type.Object({ latest: SchemaVersion })]);
  app.post(
    '/v1/schemas',
    {
      schema: {
        summary: 'Register a schema',
        description:
          'Checks the schema like an inline one (size, depth, no remote `$ref`, valid meta-schema), checks ' +
          'that every example output validates, stores version 1.0.0 (or `version`) and compiles it for every ' +
          'configured provider target: `latest.preflight` says per target whether it compiles and which ' +
          'constraints are dropped or where JSON mode is used.',
        tags,
        security: apiKeySecurity,
        body: CreateSchemaRequest,
        response: { 201: Created, ...writeErrors },
      },
    },
    async (request, reply) => {
      const { record, version, preflight } = await service.create(request.body, actorOf(request));
      return reply
        .code(201)
        .send({ ...toSchemaSummary(record), latest: toSchemaVersion(record, version, preflight) });
    },
  );
}

function listRoute(app: AppInstance, service: SchemasService): void {
  app.get(
    '/v1/schemas',
    {
      schema: {
        summary: 'List and search schemas',
        description:
          'The schemas this key can use (public ones and its own; admin keys: all), newest first, with cursor ' +
          'pagination. `library=true` lists the common schema library.',
        tags,
        security: apiKeySecurity,
        querystring: SchemaListQuery,
        response: { 200: SchemaList, ...readErrors },
      },
    },
    async (request) => {
      const page = await service.list(request.query, actorOf(request));
      return { items: page.items.map(toSchemaSummary), next_cursor: page.nextCursor };
    },
  );
}

function getRoute(app: AppInstance, service: SchemasService): void {
  app.get(
    '/v1/schemas/:ref',
    {
      schema: {
        summary: 'Get a schema by id or name',
        description: 'Metadata and the latest version. A deleted schema stays readable by id.',
        tags,
        security: apiKeySecurity,
        params: SchemaRefParams,
        response: { 200: SchemaDetail, ...readErrors },
      },
    },
    async (request) => {
      const { record, latest } = await service.get(request.params.ref, actorOf(request));
      return { ...toSchemaSummary(record), latest: toSchemaVersion(record, latest) };
    },
  );
}

function updateRoute(app: AppInstance, service: SchemasService): void {
  app.put(
    '/v1/schemas/:ref',
    {
      schema: {
        summary: "Update a schema's metadata",
        description: 'Description, visibility and tags. Only the owning key or an admin key (403 otherwise).',
        tags,
        security: apiKeySecurity,
        params: SchemaRefParams,
        body: UpdateSchemaRequest,
        response: { 200: SchemaSummary, ...writeErrors },
      },
    },
    async (request) =>
      toSchemaSummary(await service.update(request.params.ref, request.body, actorOf(request))),
  );
}

function deleteRoute(app: AppInstance, service: SchemasService): void {
  app.delete(
    '/v1/schemas/:ref',
    {
      schema: {
        summary: 'Delete a schema',
        description:
          'Soft delete: the name is free again and `schema_id` no longer finds it; its versions stay readable by id ' +
          'for the logs and jobs that name them.',
        tags,
        security: apiKeySecurity,
        params: SchemaRefParams,
        response: { 200: SchemaSummary, ...writeErrors },
      },
    },
    async (request) => toSchemaSummary(await service.remove(request.params.ref, actorOf(request))),
  );
}

function publishRoute(app: AppInstance, service: SchemasService): void {
  app.post(
    '/v1/schemas/:ref/versions',
    {
      schema: {
        summary: 'Publish a new version',
        description:
          'Compares the body with the latest version and proposes the next semantic version: major when a ' +
          'property is removed or newly required, a type or bound narrowed; minor when the schema only ' +
          'accepts more; patch for annotations. `version` overrides the proposal; `dry_run` only reports.',
        tags,
        security: apiKeySecurity,
        params: SchemaRefParams,
        body: PublishSchemaVersionRequest,
        response: { 200: PublishedSchemaVersion, 201: PublishedSchemaVersion, ...writeErrors },
      },
    },
    async (request, reply) => {
      const outcome = await service.publish(request.params.ref, request.body, actorOf(request));
      const body = {
        ...toSchemaVersion(outcome.record, outcome.version, outcome.preflight),
        proposed_version: outcome.proposedVersion,
        published: outcome.published,
      };
      return reply.code(outcome.published ? 201 : 200).send(body);
    },
  );
}

function versionsRoute(app: AppInstance, service: SchemasService): void {
  app.get(
    '/v1/schemas/:ref/versions',
    {
      schema: {
        summary: "List a schema's versions",
        description: 'Newest first, with cursor pagination.',
        tags,
        security: apiKeySecurity,
        params: SchemaRefParams,
        querystring: ListQuery,
        response: { 200: SchemaVersionList, ...readErrors },
      },
    },
    async (request) => {
      const { record, page } = await service.listVersions(
        request.params.ref,
        request.query,
        actorOf(request),
      );
      return {
        items: page.items.map((version) => toSchemaVersion(record, version)),
        next_cursor: page.nextCursor,
      };
    },
  );
}

function versionRoute(app: AppInstance, service: SchemasService): void {
  app.get(
    '/v1/schemas/:ref/versions/:version',
    {
      schema: {
        summary: 'Get one version',
        description:
          'The body, examples and changes of one version (`latest` for the newest), with its compile report.',
        tags,
        security: apiKeySecurity,
        params: SchemaVersionParams,
        response: { 200: SchemaVersion, ...readErrors },
      },
    },
    async (request) => {
      const { ref, version } = request.params;
      const found = await service.getVersion(ref, version, actorOf(request));
      return toSchemaVersion(found.record, found.version, found.preflight);
    },
  );
}
