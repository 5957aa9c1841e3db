import {
  type AnalyzeRequest,
  type AnalyzeResponse,
  defaultOutputSchema,
  requestedProvider,
} from '@structured-prompt/contracts';
import type { JsonSchema, LanguageDetector, ProviderGateway } from '@structured-prompt/gateway';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import { AppError } from '../../lib/app-error.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import type { LimitsService } from '../../platform/limits/limits.service.ts';
import type { Tracer } from '../../platform/observability/tracing.ts';
import type { RequestLogWriter } from '../../platform/request-log/request-log-writer.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import { buildCacheKey, type CacheKey } from '../cache/cache-key.ts';
import type {
  CacheOutcome,
  ComputedResponse,
  GetOrComputeOptions,
  ResponseCacheService,
} from '../cache/response-cache.service.ts';
import type { SchemaRegistry } from '../schemas/schema-registry.ts';
import { type ExpandedRequest, TemplateExpander } from '../templates/template-expansion.ts';
import type { AnalyzeContext, PreparedAnalyze, ResolvedRequest } from './analyze-context.ts';
import { answeredLogEntry, failedLogEntry, type LogRefs } from './analyze-log-entry.ts';
import type { AnalyzeObserver } from './analyze-observer.ts';
import { roundMs, shapeResponse } from './analyze-response.ts';
import { AnswerGenerator, type CachedAnswer } from './answer-generator.ts';
import { BudgetGuard } from './budget-guard.ts';
import { InputScreen } from './input-screen.ts';
import { metaPromptVersion } from './meta-prompt.ts';
import type { SchemaGuard } from './schema-guard.ts';
import { bothSchemas, schemaNameOf } from './schema-naming.ts';
import type { ValidatorCache } from './validator-cache.ts';

export interface AnalyzeServiceOptions {
  config: Readonly<Config>;
  gateway: ProviderGateway;
  languageDetector: LanguageDetector;
  validators: Pick<ValidatorCache, 'get'>;
  schemaGuard: SchemaGuard;
  /** Resolves `schema_id` references. */
  schemaRegistry: Pick<SchemaRegistry, 'resolve'>;
  cache: ResponseCacheService;
  limits: LimitsService;
  audit: AuditService;
  logWriter: RequestLogWriter;
  logger: Logger;
  observer?: AnalyzeObserver;
  tracer?: Tracer;
  /** Renders `template_id` requests; without it such requests are refused. */
  templates?: Pick<TemplateExpander, 'expand'>;
}

/** Used when no templates are configured: prompts pass, every template reference is unknown. */
const noTemplates = new TemplateExpander({
  templates: {
    render: async (reference) => {
      throw new AppError('not_found', `No template "${reference}": templates are not available here.`);
    },
  },
});

/**
 * `POST /v1/analyze` end to end: screen the input, resolve the schema, look the answer up in the
 * cache (a miss generates it within the key's budget), shape the response, and log the request.
 */
export class AnalyzeService {
  readonly #options: AnalyzeServiceOptions;
  readonly #screen: InputScreen;
  readonly #generator: AnswerGenerator;
  /** The default schema's hash, the same for every request that sends no schema. */
  readonly #defaultSchemaHash = schemaHash(defaultOutputSchema);

  constructor(options: AnalyzeServiceOptions) {
    this.#options = options;
    const { config, audit, observer } = options;
    this.#screen = new InputScreen({ config, audit, observer });
    this.#generator = new AnswerGenerator({
      analyze: config.analyze,
      gateway: options.gateway,
      validators: options.validators,
      budget: new BudgetGuard({ limits: options.limits, audit, observer }),
      languageDetector: options.languageDetector,
    });
  }

  async analyze(body: AnalyzeRequest, context: AnalyzeContext): Promise<AnalyzeResponse> {
    const started = performance.now();
    const refs: LogRefs = {};
    try {
      const prepared = await this.prepare(body, context, refs);
      const outcome = await this.#lookup(prepared.request, prepared.cacheKey, context);
      return this.finish(prepared, context, outcome, started);
    } catch (error) {
      this.recordFailure(body, context, error, started, refs);
      throw error;
    }
  }

  /**
   * The steps before the cache: render the template, screen the input, resolve the schema, compute
   * the cache key. Throws the request's 400s and 404s (invalid schema or parameters, blocked input,
   * over-long prompt, unknown template or schema); `refs` receives what was resolved before a refusal.
   */
  async prepare(body: AnalyzeRequest, context: AnalyzeContext, refs: LogRefs = {}): Promise<PreparedAnalyze> {
    const expanded = await this.#expand(body, context);
    refs.template = expanded.template;
    const { prepared, warnings } = this.#screen.screen(expanded.body, context);
    const request = await this.#resolve(expanded, prepared, context);
    refs.registered = request.registered;
    return { request, warnings, cacheKey: this.#cacheKey(request) };
  }

  /** A cache miss the caller already looked up: generates (joining identical work in flight) and stores it. */
  generate(prepared: PreparedAnalyze, context: AnalyzeContext): Promise<CacheOutcome<CachedAnswer>> {
    const { request, cacheKey } = prepared;
    const compute = () => this.#compute(request, context);
    return this.#options.cache.compute<CachedAnswer>(cacheKey, compute, this.#storeOptions(request));
  }

  /** The response of an answered request, written to the request log and counted. */
  finish(
    prepared: PreparedAnalyze,
    context: AnalyzeContext,
    outcome: CacheOutcome<CachedAnswer>,
    started: number,
  ): AnalyzeResponse {
    const { body } = prepared.request;
    const response = shapeResponse({
      requestId: context.requestId,
      outcome,
      warnings: prepared.warnings,
      limits: {
        confidenceThreshold: body.options?.confidence_threshold,
        maxCostUsd: body.options?.max_cost_usd,
      },
      totalMs: roundMs(performance.now() - started),
    });
    if (prepared.request.registered) response.schema_used = prepared.request.registered;
    if (prepared.request.template) response.template = prepared.request.template;
    this.#record(prepared.request, context, { outcome, cacheKey: prepared.cacheKey.text }, response);
    return response;
  }

  /** The request log entry of a request refused or failed after `started` (a `performance.now()`). */
  recordFailure(
    body: AnalyzeRequest,
    context: AnalyzeContext,
    error: unknown,
    started: number,
    refs: LogRefs = {},
  ): void {
    this.#options.logWriter.write(
      failedLogEntry(body, context, error, roundMs(performance.now() - started), refs),
    );
  }

  /** The prompt: the request's own, or its template's rendering with the template's defaults. */
  #expand(body: AnalyzeRequest, context: AnalyzeContext): Promise<ExpandedRequest> {
    const caller = { keyId: context.key.id, isAdmin: context.key.scopes.includes('admin') };
    return (this.#options.templates ?? noTemplates).expand(body, caller);
  }

  /**
   * The schema the answer must satisfy: the default one, the request's after the guard's checks, or
   * the registered version `schema_id` names (404 when the key cannot use it).
   */
  async #resolve(
    { body, template }: ExpandedRequest,
    prepared: ResolvedRequest['prepared'],
    context: AnalyzeContext,
  ): Promise<ResolvedRequest> {
    const provider = requestedProvider(body);
    const common = {
      body,
      template,
      prepared,
      provider: provider === 'auto' ? undefined : provider,
      validation: body.options?.validation ?? 'strict',
    } as const;
    if (body.schema_id !== undefined) {
      if (body.schema !== undefined) throw bothSchemas();
      const caller = { keyId: context.key.id, isAdmin: context.key.scopes.includes('admin') };
      const { record, version, schema } = await this.#options.schemaRegistry.resolve(body.schema_id, caller);
      return {
        ...common,
        schema,
        schemaHash: version.schemaHash || schemaHash(schema),
        schemaName: record.name,
        registered: { id: record.id, name: record.name, version: version.version },
      };
    }
    if (body.schema === undefined) {
      const schema = defaultOutputSchema as JsonSchema;
      return { ...common, schema, schemaHash: this.#defaultSchemaHash, schemaName: 'default' };
    }
    const { schema, hash } = this.#options.schemaGuard.checkInline(body.schema);
    return { ...common, schema, schemaHash: hash, schemaName: schemaNameOf(body.schema) };
  }

  /** The cached answer, or one generated now and cached when it validated; traced when tracing is on. */
  #lookup(
    request: ResolvedRequest,
    cacheKey: CacheKey,
    context: AnalyzeContext,
  ): Promise<CacheOutcome<CachedAnswer>> {
    const lookup = () =>
      this.#options.cache.getOrCompute<CachedAnswer>(cacheKey, () => this.#compute(request, context), {
        ...this.#storeOptions(request),
        exclusive: context.stream !== undefined,
      });
    const { tracer } = this.#options;
    return tracer?.enabled ? tracer.cacheLookup(lookup) : lookup();
  }

  async #compute(request: ResolvedRequest, context: AnalyzeContext): Promise<ComputedResponse<CachedAnswer>> {
    const value = await this.#generator.generate(request, context);
    return { value, usage: { totalTokens: value.usage.totalTokens, costUsd: value.usage.costUsd } };
  }

  /** How long the answer is kept, that only validated answers are, and whether the lookup is skipped. */
  #storeOptions(request: ResolvedRequest): GetOrComputeOptions<CachedAnswer> {
    return {
      ttlSeconds: request.body.options?.cache_ttl,
      bypass: request.body.options?.bypass_cache === true,
      cacheable: ({ value }) =>
        value.validation.status === 'passed' || value.validation.status === 'passed_relaxed',
    };
  }

  #cacheKey({
    body,
    prepared,
    schemaHash,
    schemaName,
    provider,
    validation,
    registered,
    template,
  }: ResolvedRequest): CacheKey {
    const options = body.options ?? {};
    return buildCacheKey({
      prompt: prepared.text,
      lowercase: this.#options.config.cache.lowercasePrompts,
      schemaHash,
      schemaName,
      provider,
      model: body.model,
      temperature: body.temperature,
      maxTokens: body.max_tokens,
      validationMode: validation,
      extra: {
        metaPrompt: metaPromptVersion,
        language: options.language ?? 'auto',
        maxRepairAttempts: options.max_repair_attempts,
        // Like the re-ask count, the cost cap decides how often the model is asked.
        maxCostUsd: options.max_cost_usd,
        // A registered schema's id and version, on top of its body's hash: a new version never shares answers.
        schema: registered ? { id: registered.id, version: registered.version } : undefined,
        // The rendered text is the prompt above; the version names what produced it.
        template: template && { id: template.id, version: template.version },
      },
    });
  }

  /** The request log entry, and what the observers count: usage billed now, and the outcome. */
  #record(
    request: ResolvedRequest,
    context: AnalyzeContext,
    { outcome, cacheKey }: { outcome: CacheOutcome<CachedAnswer>; cacheKey: string },
    response: AnalyzeResponse,
  ): void {
    const { logWriter, observer, config } = this.#options;
    const storePrompt = config.requestLogs.storePrompts && context.key.storePrompts !== false;
    const extras = {
      schemaHash: request.schemaHash,
      cacheKey,
      outcome,
      storePrompt,
      registered: request.registered,
    };
    logWriter.write(answeredLogEntry(request.body, context, request.prepared.text, response, extras));
    const { cached, coalesced } = outcome;
    if (!cached && !coalesced) {
      observer?.onKeyUsage(context.key.id, {
        costUsd: response.usage.cost_usd,
        totalTokens: response.usage.total_tokens,
      });
    }
    observer?.onAnalyzed({ response, result: outcome.value, cached, coalesced });
  }
}
