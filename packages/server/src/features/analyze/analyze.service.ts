import {
  type AnalyzeRequest,
  type AnalyzeResponse,
  defaultOutputSchema,
  requestedProvider,
} from '@structured-prompt/contracts';
import type { JsonSchema, LanguageDetector, ProviderGateway } from '@structured-prompt/gateway';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import type { LimitsService } from '../../platform/limits/limits.service.ts';
import type { Tracer } from '../../platform/observability/tracing.ts';
import type { RequestLogWriter } from '../../platform/request-log/request-log-writer.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import { buildCacheKey, type CacheKey } from '../cache/cache-key.ts';
import type { CacheOutcome, ResponseCacheService } from '../cache/response-cache.service.ts';
import type { AnalyzeContext, ResolvedRequest } from './analyze-context.ts';
import { answeredLogEntry, failedLogEntry } from './analyze-log-entry.ts';
import type { AnalyzeObserver } from './analyze-observer.ts';
import { roundMs, shapeResponse } from './analyze-response.ts';
import { AnswerGenerator, type CachedAnswer } from './answer-generator.ts';
import { BudgetGuard } from './budget-guard.ts';
import { InputScreen } from './input-screen.ts';
import { metaPromptVersion } from './meta-prompt.ts';
import type { SchemaGuard } from './schema-guard.ts';
import type { ValidatorCache } from './validator-cache.ts';

export interface AnalyzeServiceOptions {
  config: Readonly<Config>;
  gateway: ProviderGateway;
  languageDetector: LanguageDetector;
  validators: Pick<ValidatorCache, 'get'>;
  schemaGuard: SchemaGuard;
  cache: ResponseCacheService;
  limits: LimitsService;
  audit: AuditService;
  logWriter: RequestLogWriter;
  logger: Logger;
  observer?: AnalyzeObserver;
  tracer?: Tracer;
}

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
    try {
      const { prepared, warnings } = this.#screen.screen(body, context);
      const request = this.#resolve(body, prepared);
      const cacheKey = this.#cacheKey(request);
      const outcome = await this.#lookup(request, cacheKey, context);
      const response = shapeResponse({
        requestId: context.requestId,
        outcome,
        warnings,
        limits: {
          confidenceThreshold: body.options?.confidence_threshold,
          maxCostUsd: body.options?.max_cost_usd,
        },
        totalMs: roundMs(performance.now() - started),
      });
      this.#record(request, context, { outcome, cacheKey: cacheKey.text }, response);
      return response;
    } catch (error) {
      this.#options.logWriter.write(
        failedLogEntry(body, context, error, roundMs(performance.now() - started)),
      );
      throw error;
    }
  }

  /** The schema the answer must satisfy (the default one, or the request's after the guard's checks). */
  #resolve(body: AnalyzeRequest, prepared: ResolvedRequest['prepared']): ResolvedRequest {
    const inline = body.schema !== undefined;
    const provider = requestedProvider(body);
    const schema = inline
      ? this.#options.schemaGuard.check(body.schema)
      : (defaultOutputSchema as JsonSchema);
    return {
      body,
      prepared,
      schema,
      schemaHash: inline ? schemaHash(schema) : this.#defaultSchemaHash,
      schemaName: inline ? schemaNameOf(body.schema) : 'default',
      provider: provider === 'auto' ? undefined : provider,
      validation: body.options?.validation ?? 'strict',
    };
  }

  /** The cached answer, or one generated now and cached when it validated; traced when tracing is on. */
  #lookup(
    request: ResolvedRequest,
    cacheKey: CacheKey,
    context: AnalyzeContext,
  ): Promise<CacheOutcome<CachedAnswer>> {
    const options = request.body.options ?? {};
    const lookup = () =>
      this.#options.cache.getOrCompute<CachedAnswer>(
        cacheKey,
        async () => {
          const value = await this.#generator.generate(request, context);
          return { value, usage: { totalTokens: value.usage.totalTokens, costUsd: value.usage.costUsd } };
        },
        {
          ttlSeconds: options.cache_ttl,
          bypass: options.bypass_cache === true,
          cacheable: ({ value }) =>
            value.validation.status === 'passed' || value.validation.status === 'passed_relaxed',
        },
      );
    const { tracer } = this.#options;
    return tracer?.enabled ? tracer.cacheLookup(lookup) : lookup();
  }

  #cacheKey({ body, prepared, schemaHash, schemaName, provider, validation }: ResolvedRequest) {
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
    const extras = { schemaHash: request.schemaHash, cacheKey, outcome, storePrompt };
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

/** Names an inline schema for cache namespaces and tool names: its `title` when it has a usable one. */
function schemaNameOf(schema: unknown): string {
  const title =
    typeof schema === 'object' && schema !== null ? (schema as { title?: unknown }).title : undefined;
  if (typeof title === 'string') {
    const slug = title
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 48);
    if (slug) return slug;
  }
  return 'inline';
}
