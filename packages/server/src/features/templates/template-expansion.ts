import type { AnalyzeRequest, TemplateUse } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';
import type { TemplateCaller, TemplatesService } from './templates.service.ts';

/**
 * Turns a template's linked schema reference into the schema itself (the schema registry does, with
 * the caller's visibility). Throws the registry's own 404 when the reference does not resolve.
 */
export type LinkedSchemaResolver = (
  ref: { id: string; version?: string },
  caller: TemplateCaller,
) => Promise<JsonSchema>;

/** An analyze request with its prompt in place: the caller's own, or the one its template rendered. */
export type PromptRequest = AnalyzeRequest & { prompt: string };

export interface ExpandedRequest {
  body: PromptRequest;
  /** The template version used, when the request named one. */
  template?: TemplateUse;
}

export interface TemplateExpanderOptions {
  templates: Pick<TemplatesService, 'render'>;
  /** Absent while no schema registry is configured: a linked schema then cannot be used. */
  schemaResolver?: LinkedSchemaResolver;
}

const problem = (detail: string, path: string, message: string) =>
  new AppError('validation_error', detail, { errors: [{ path, message }] });

/** The request carries a schema of its own (inline, or a registry reference), which wins over a linked one. */
function hasOwnSchema(body: AnalyzeRequest): boolean {
  return body.schema !== undefined || (body as Record<string, unknown>).schema_id !== undefined;
}

/**
 * `template_id` + `parameters` → `prompt`: renders the template version (404 unknown, 400 bad
 * parameters), applies its default options under the request's explicit ones, and brings in its linked
 * schema when the request has none.
 */
export class TemplateExpander {
  readonly #options: TemplateExpanderOptions;

  constructor(options: TemplateExpanderOptions) {
    this.#options = options;
  }

  async expand(body: AnalyzeRequest, caller: TemplateCaller): Promise<ExpandedRequest> {
    const { template_id: reference, parameters, prompt, ...rest } = body;
    if (prompt !== undefined && reference !== undefined)
      throw problem(
        'Send either `prompt` or `template_id`, not both.',
        '/body/template_id',
        'conflicts with prompt',
      );
    if (reference === undefined) {
      if (parameters !== undefined)
        throw problem('`parameters` go with `template_id`.', '/body/parameters', 'needs template_id');
      if (prompt === undefined)
        throw problem('Send `prompt` or `template_id`.', '/body/prompt', 'is required without template_id');
      return { body: { ...body, prompt } };
    }
    const rendered = await this.#options.templates.render(reference, parameters, caller);
    const { defaults, schema } = rendered.version.content;
    const expanded: PromptRequest = { ...rest, prompt: rendered.prompt };
    if (defaults.provider !== undefined && body.provider === undefined && body.llm_provider === undefined)
      expanded.provider = defaults.provider;
    if (defaults.model !== undefined && body.model === undefined) expanded.model = defaults.model;
    if (defaults.temperature !== undefined && body.temperature === undefined)
      expanded.temperature = defaults.temperature;
    if (schema && !hasOwnSchema(body))
      expanded.schema = await this.#linkedSchema(schema, rendered.use, caller);
    return { body: expanded, template: rendered.use };
  }

  async #linkedSchema(
    ref: { id: string; version?: string },
    template: TemplateUse,
    caller: TemplateCaller,
  ): Promise<JsonSchema> {
    const resolver = this.#options.schemaResolver;
    if (!resolver) {
      throw new AppError(
        'bad_request',
        `Template ${template.name}@${template.version} links schema "${ref.id}", but this service has no ` +
          'schema registry to resolve it. Send the schema inline with `schema`.',
        { errors: [{ path: '/body/schema', message: 'is required: the linked schema cannot be resolved' }] },
      );
    }
    return resolver(ref, caller);
  }
}
