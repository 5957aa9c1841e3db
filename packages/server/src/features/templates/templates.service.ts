import type {
  CreateTemplateRequest,
  TemplateListQuery,
  TemplateUse,
  UpdateTemplateRequest,
} from '@structured-prompt/contracts';
import { AppError } from '../../lib/app-error.ts';
import { isUuid } from '../../platform/storage/dialect.ts';
import type { Page } from '../../platform/storage/pagination.ts';
import type { ValidatorCache } from '../analyze/validator-cache.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import type { ResolvedTemplate, TemplateCache } from './template-cache.ts';
import { checkDeclaration, renderValues } from './template-parameters.ts';
import type { TemplateRenderer } from './template-renderer.ts';
import { changeLevel, nextVersion, type VersionContent } from './template-versioning.ts';
import type { TemplateRecord, TemplatesRepository, TemplateVersionRecord } from './templates.repository.ts';

/** The key making the call: what it may see and change. */
export interface TemplateCaller {
  keyId: string;
  isAdmin: boolean;
}

export interface TemplateView {
  template: TemplateRecord;
  latest: TemplateVersionRecord;
}

export interface RenderedTemplate {
  use: TemplateUse;
  prompt: string;
  version: TemplateVersionRecord;
}

export interface TemplatesServiceOptions {
  repository: TemplatesRepository;
  renderer: TemplateRenderer;
  validators: Pick<ValidatorCache, 'get'>;
  cache: TemplateCache;
  /** Records who created, changed and deleted which template. */
  audit?: Pick<AuditService, 'record'>;
}

const firstVersion = '1.0.0';

function canRead(template: TemplateRecord, caller: TemplateCaller): boolean {
  return caller.isAdmin || template.isPublic || template.ownerKeyId === caller.keyId;
}

function canChange(template: TemplateRecord, caller: TemplateCaller): boolean {
  return caller.isAdmin || (template.ownerKeyId !== null && template.ownerKeyId === caller.keyId);
}

/** `name@1.2.0` → name and version; ids and names never contain `@`. */
function parseReference(reference: string): { ref: string; version?: string } {
  const at = reference.lastIndexOf('@');
  if (at <= 0) return { ref: reference };
  return { ref: reference.slice(0, at), version: reference.slice(at + 1) };
}

const notFound = (reference: string) =>
  new AppError('not_found', `No template "${reference}" that this key may use.`);

/**
 * Templates with immutable versions: ownership (a private template is invisible to other keys, and
 * only its owner or an admin may change one), declarations checked when a version is published, and
 * rendering that never calls a provider.
 */
export class TemplatesService {
  readonly #options: TemplatesServiceOptions;

  constructor(options: TemplatesServiceOptions) {
    this.#options = options;
  }

  async create(input: CreateTemplateRequest, caller: TemplateCaller): Promise<TemplateView> {
    checkName(input.name);
    const content = contentOf(input);
    this.#checkContent(content);
    const { template, version } = await this.#options.repository.create({
      name: input.name,
      description: input.description ?? null,
      isPublic: input.visibility === 'public',
      tags: input.tags ?? [],
      ownerKeyId: caller.keyId,
      version: input.version ?? firstVersion,
      content,
    });
    this.#audit('template.created', template.id, caller, { name: template.name, version: version.version });
    return { template, latest: version };
  }

  async list(query: TemplateListQuery, caller: TemplateCaller): Promise<Page<TemplateView>> {
    const page = await this.#options.repository.list(
      {
        visibleTo: caller,
        search: query.search,
        tag: query.tag,
        ...(query.visibility && { isPublic: query.visibility === 'public' }),
        ...(query.owner === 'me' && { ownerKeyId: caller.keyId }),
        ...(query.owner === 'library' && { library: true }),
      },
      { limit: query.limit, cursor: query.cursor },
    );
    const latest = await this.#options.repository.latestVersions(page.items);
    const items = page.items.flatMap((template) => {
      const version = latest.get(template.id);
      return version ? [{ template, latest: version }] : [];
    });
    return { items, nextCursor: page.nextCursor };
  }

  async get(reference: string, caller: TemplateCaller): Promise<TemplateView> {
    return this.#view(await this.#readable(reference, caller));
  }

  async versions(reference: string, caller: TemplateCaller): Promise<TemplateVersionRecord[]> {
    const template = await this.#readable(reference, caller);
    return this.#options.repository.listVersions(template.id);
  }

  async version(reference: string, version: string, caller: TemplateCaller): Promise<TemplateVersionRecord> {
    const template = await this.#readable(reference, caller);
    const found = await this.#options.repository.getVersion(template.id, version);
    if (!found) throw new AppError('not_found', `Template "${reference}" has no version ${version}.`);
    return found;
  }

  /** Metadata in place; changed content becomes a new version (proposed, or the caller's). */
  async update(
    reference: string,
    input: UpdateTemplateRequest,
    caller: TemplateCaller,
  ): Promise<TemplateView> {
    const { repository, cache } = this.#options;
    if (input.name !== undefined) checkName(input.name);
    const current = await this.#changeable(reference, caller);
    const latest = await this.#latest(current);
    const content = contentOf({ ...latest.content, ...definedOnly(input) });
    const level = changeLevel(latest.content, content);
    let published: string | undefined;
    if (level !== 'none') {
      this.#checkContent(content);
      published = nextVersion(current.latestVersion, level, input.version);
      await repository.addVersion({
        templateId: current.id,
        expectedLatest: current.latestVersion,
        version: published,
        content,
        createdBy: caller.keyId,
      });
    }
    const updated = await repository.updateMetadata(current.id, {
      name: input.name,
      description: input.description,
      ...(input.visibility && { isPublic: input.visibility === 'public' }),
      tags: input.tags,
    });
    await cache.changed(current.id);
    if (!updated) throw notFound(reference);
    this.#audit('template.updated', current.id, caller, {
      fields: Object.keys(input),
      ...(published && { version: published }),
    });
    return this.#view(updated);
  }

  async remove(reference: string, caller: TemplateCaller): Promise<TemplateView> {
    const current = await this.#changeable(reference, caller);
    const view = await this.#view(current);
    const deleted = await this.#options.repository.softDelete(current.id);
    await this.#options.cache.changed(current.id);
    if (!deleted) throw notFound(reference);
    this.#audit('template.deleted', current.id, caller, { name: current.name });
    return { ...view, template: deleted };
  }

  #audit(eventType: string, id: string, caller: TemplateCaller, details: Record<string, unknown>): void {
    this.#options.audit?.record({
      eventType,
      result: 'success',
      actorKeyId: caller.keyId,
      resource: `template:${id}`,
      details,
    });
  }

  /** `reference` may pin a version (`name@1.2.0`); the latest otherwise. Cached, visibility checked. */
  async resolve(reference: string, caller: TemplateCaller): Promise<ResolvedTemplate> {
    const { ref, version } = parseReference(reference);
    const resolved = await this.#options.cache.get(reference, async () => {
      const template = await this.#options.repository.findLive(ref);
      if (!template) return null;
      const found = await this.#options.repository.getVersion(template.id, version ?? template.latestVersion);
      return found ? { template, version: found } : null;
    });
    if (!resolved || !canRead(resolved.template, caller)) {
      throw version === undefined
        ? notFound(reference)
        : new AppError('not_found', `No template "${ref}" with version ${version} that this key may use.`);
    }
    return resolved;
  }

  /** The prompt a template version renders to with these parameters; no provider is called. */
  async render(
    reference: string,
    parameters: Record<string, unknown> | undefined,
    caller: TemplateCaller,
  ): Promise<RenderedTemplate> {
    const { template, version } = await this.resolve(reference, caller);
    const values = renderValues(version.content.parameters, parameters, this.#options.validators);
    const prompt = await this.#options.renderer.render(version.content.template, values);
    return { use: { id: template.id, name: template.name, version: version.version }, prompt, version };
  }

  #checkContent(content: VersionContent): void {
    const variables = this.#options.renderer.variablesOf(content.template);
    checkDeclaration(content.parameters, variables, this.#options.validators);
  }

  async #readable(reference: string, caller: TemplateCaller): Promise<TemplateRecord> {
    const template = await this.#options.repository.findLive(reference);
    if (!template || !canRead(template, caller)) throw notFound(reference);
    return template;
  }

  async #changeable(reference: string, caller: TemplateCaller): Promise<TemplateRecord> {
    const template = await this.#readable(reference, caller);
    if (!canChange(template, caller)) {
      throw new AppError('forbidden', 'Only the key that owns this template, or an admin, may change it.');
    }
    return template;
  }

  async #latest(template: TemplateRecord): Promise<TemplateVersionRecord> {
    const latest = await this.#options.repository.getVersion(template.id, template.latestVersion);
    if (!latest)
      throw new Error(`template ${template.id} lacks its latest version ${template.latestVersion}`);
    return latest;
  }

  async #view(template: TemplateRecord): Promise<TemplateView> {
    return { template, latest: await this.#latest(template) };
  }
}

/** A name shaped like an id could never be looked up by name. */
function checkName(name: string): void {
  if (!isUuid(name)) return;
  throw new AppError('validation_error', 'A template name cannot have the form of an id.', {
    errors: [{ path: '/body/name', message: 'must not be a UUID' }],
  });
}

function contentOf(input: Partial<VersionContent> & { template: string }): VersionContent {
  return {
    template: input.template,
    parameters: input.parameters ?? [],
    schema: input.schema ?? null,
    defaults: input.defaults ?? {},
  };
}

function definedOnly(input: UpdateTemplateRequest): Partial<VersionContent> {
  return {
    ...(input.template !== undefined && { template: input.template }),
    ...(input.parameters !== undefined && { parameters: input.parameters }),
    ...(input.schema !== undefined && { schema: input.schema }),
    ...(input.defaults !== undefined && { defaults: input.defaults }),
  };
}
