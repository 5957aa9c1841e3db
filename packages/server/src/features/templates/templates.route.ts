import {
  CreateTemplateRequest,
  RenderTemplateRequest,
  RenderTemplateResponse,
  Template,
  TemplateList,
  TemplateListQuery,
  TemplateRefParams,
  type TemplateVersion,
  TemplateVersionList,
  TemplateVersionParams,
  TemplateVersion as TemplateVersionSchema,
  UpdateTemplateRequest,
} from '@structured-prompt/contracts';
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../../http/app-instance.ts';
import { requireAuth } from '../../http/plugins/auth.ts';
import { apiKeySecurity, problemResponses } from '../../http/route-schema.ts';
import type { TemplateVersionRecord } from './templates.repository.ts';
import type { TemplateCaller, TemplatesService, TemplateView } from './templates.service.ts';

const tags = ['templates'];
const readErrors = problemResponses(400, 401, 404, 429, 500);
const writeErrors = problemResponses(400, 401, 403, 404, 409, 429, 500);

function callerOf(request: FastifyRequest): TemplateCaller {
  const { key, isAdmin } = requireAuth(request);
  return { keyId: key.id, isAdmin };
}

function toVersion(record: TemplateVersionRecord): TemplateVersion {
  const { template, parameters, schema, defaults } = record.content;
  return {
    version: record.version,
    template,
    parameters,
    schema,
    defaults,
    created_at: record.createdAt.toISOString(),
  };
}

function toTemplate({ template, latest }: TemplateView) {
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    visibility: template.isPublic ? ('public' as const) : ('private' as const),
    tags: template.tags,
    owner: template.ownerKeyId,
    library: template.isLibrary,
    latest_version: template.latestVersion,
    latest: toVersion(latest),
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}

export function templatesRoutes(app: AppInstance, service: TemplatesService): void {
  collectionRoutes(app, service);
  itemRoutes(app, service);
  versionRoutes(app, service);
  renderRoute(app, service);
}

function collectionRoutes(app: AppInstance, service: TemplatesService): void {
  app.post(
    '/v1/templates',
    {
      schema: {
        summary: 'Create a prompt template',
        description:
          'Registers a Liquid template with its declared parameters, an optional linked schema and default ' +
          'options, as version 1.0.0 (or the version given). The calling key owns it; `private` by default.',
        tags,
        security: apiKeySecurity,
        body: CreateTemplateRequest,
        response: { 201: Template, ...writeErrors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(toTemplate(await service.create(request.body, callerOf(request)))),
  );
  app.get(
    '/v1/templates',
    {
      schema: {
        summary: 'List prompt templates',
        description:
          'The templates this key may use (its own, public ones and the built-in library), newest first, ' +
          'with cursor pagination, search, tag, visibility and owner filters.',
        tags,
        security: apiKeySecurity,
        querystring: TemplateListQuery,
        response: { 200: TemplateList, ...readErrors },
      },
    },
    async (request) => {
      const page = await service.list(request.query, callerOf(request));
      return { items: page.items.map(toTemplate), next_cursor: page.nextCursor };
    },
  );
}

function itemRoutes(app: AppInstance, service: TemplatesService): void {
  app.get(
    '/v1/templates/:id',
    {
      schema: {
        summary: 'Get a prompt template',
        description: 'By id or by name, with its latest version.',
        tags,
        security: apiKeySecurity,
        params: TemplateRefParams,
        response: { 200: Template, ...readErrors },
      },
    },
    async (request) => toTemplate(await service.get(request.params.id, callerOf(request))),
  );
  app.put(
    '/v1/templates/:id',
    {
      schema: {
        summary: 'Update a prompt template',
        description:
          'Name, description, visibility and tags change in place. A change of the text, parameters, linked ' +
          'schema or defaults publishes a new immutable version: major when a parameter is removed, newly ' +
          'required or retyped, or another schema is linked; minor otherwise; or the `version` given.',
        tags,
        security: apiKeySecurity,
        params: TemplateRefParams,
        body: UpdateTemplateRequest,
        response: { 200: Template, ...writeErrors },
      },
    },
    async (request) => toTemplate(await service.update(request.params.id, request.body, callerOf(request))),
  );
  app.delete(
    '/v1/templates/:id',
    {
      schema: {
        summary: 'Delete a prompt template',
        description: 'Soft delete: it can no longer be used or listed, and its name is free again.',
        tags,
        security: apiKeySecurity,
        params: TemplateRefParams,
        response: { 200: Template, ...writeErrors },
      },
    },
    async (request) => toTemplate(await service.remove(request.params.id, callerOf(request))),
  );
}

function versionRoutes(app: AppInstance, service: TemplatesService): void {
  app.get(
    '/v1/templates/:id/versions',
    {
      schema: {
        summary: 'List the versions of a prompt template',
        description: 'Every published version, newest first. Versions are never changed.',
        tags,
        security: apiKeySecurity,
        params: TemplateRefParams,
        response: { 200: TemplateVersionList, ...readErrors },
      },
    },
    async (request) => ({
      items: (await service.versions(request.params.id, callerOf(request))).map(toVersion),
    }),
  );
  app.get(
    '/v1/templates/:id/versions/:version',
    {
      schema: {
        summary: 'Get one version of a prompt template',
        description: 'Any published version, by its semantic version number.',
        tags,
        security: apiKeySecurity,
        params: TemplateVersionParams,
        response: { 200: TemplateVersionSchema, ...readErrors },
      },
    },
    async (request) =>
      toVersion(await service.version(request.params.id, request.params.version, callerOf(request))),
  );
}

function renderRoute(app: AppInstance, service: TemplatesService): void {
  app.post(
    '/v1/templates/:id/render',
    {
      schema: {
        summary: 'Render a prompt template',
        description:
          'Validates the parameters against the declaration (400 naming each bad one) and returns the ' +
          'rendered prompt, the linked schema reference and the default options. No provider is called. ' +
          '`id` may pin a version: `invoice-summary@1.0.0`.',
        tags,
        security: apiKeySecurity,
        params: TemplateRefParams,
        body: RenderTemplateRequest,
        response: { 200: RenderTemplateResponse, ...readErrors },
      },
    },
    async (request) => {
      const rendered = await service.render(request.params.id, request.body.parameters, callerOf(request));
      const { schema, defaults } = rendered.version.content;
      return { template: rendered.use, prompt: rendered.prompt, schema, defaults };
    },
  );
}
