import { type PagedList, type PageOptions, pagedList } from '../pagination.ts';
import type { CallOptions, Query, Transport } from '../transport.ts';
import type {
  CreateTemplateRequest,
  RenderTemplateRequest,
  RenderTemplateResponse,
  Template,
  TemplateListQuery,
  TemplateVersion,
  TemplateVersionList,
  UpdateTemplateRequest,
} from '../types.ts';

const encode = encodeURIComponent;

/** Prompt templates: versioned Liquid prompts with declared parameters, used by `template_id`. */
export class Templates {
  readonly #transport: Transport;
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  create(request: CreateTemplateRequest, options?: CallOptions): Promise<Template> {
    return this.#transport.json({
      method: 'POST',
      path: '/v1/templates',
      body: request,
      idempotent: false,
      options,
    });
  }

  list(
    filters: Omit<TemplateListQuery, 'limit' | 'cursor'> = {},
    options?: PageOptions,
  ): PagedList<Template> {
    return pagedList(this.#transport, '/v1/templates', options, filters as Query);
  }

  get(id: string, options?: CallOptions): Promise<Template> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/templates/${encode(id)}`,
      idempotent: true,
      options,
    });
  }

  /** A changed body or parameters become a new version; metadata changes stay on the current one. */
  update(id: string, request: UpdateTemplateRequest, options?: CallOptions): Promise<Template> {
    return this.#transport.json({
      method: 'PUT',
      path: `/v1/templates/${encode(id)}`,
      body: request,
      idempotent: true,
      options,
    });
  }

  delete(id: string, options?: CallOptions): Promise<Template> {
    return this.#transport.json({
      method: 'DELETE',
      path: `/v1/templates/${encode(id)}`,
      idempotent: true,
      options,
    });
  }

  async versions(id: string, options?: CallOptions): Promise<TemplateVersion[]> {
    const list = await this.#transport.json<TemplateVersionList>({
      method: 'GET',
      path: `/v1/templates/${encode(id)}/versions`,
      idempotent: true,
      options,
    });
    return list.items;
  }

  version(id: string, version: string, options?: CallOptions): Promise<TemplateVersion> {
    return this.#transport.json({
      method: 'GET',
      path: `/v1/templates/${encode(id)}/versions/${encode(version)}`,
      idempotent: true,
      options,
    });
  }

  /** Renders the template with parameters, without calling a model. */
  render(id: string, request: RenderTemplateRequest, options?: CallOptions): Promise<RenderTemplateResponse> {
    return this.#transport.json({
      method: 'POST',
      path: `/v1/templates/${encode(id)}/render`,
      body: request,
      idempotent: true,
      options,
    });
  }
}
