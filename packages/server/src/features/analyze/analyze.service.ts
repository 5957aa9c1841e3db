import {
  type AnalyzeRequest,
  type AnalyzeResponse,
  defaultOutputSchema,
  requestedProvider,
} from '@structured-prompt/contracts';
import type { JsonSchema, ProviderGateway } from '@structured-prompt/gateway';
import { Deadline } from '@structured-prompt/gateway';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.ts';
import { AppError, toAppError } from '../../lib/app-error.ts';
import type { LimitsService } from '../../platform/limits/limits.service.ts';
import type { Tracer } from '../../platform/observability/tracing.ts';
import type { RequestLogWriter } from '../../platform/request-log/request-log-writer.ts';
import type { ApiKeyRecord } from '../api-keys/api-keys.repository.ts';
import type { AuditService } from '../audit-logs/audit.service.ts';
import { buildCacheKey } from '../cache/cache-key.ts';
import type { ResponseCacheService } from '../cache/response-cache.service.ts';
import type { AnalyzeObserver } from './analyze-observer.ts';
import { type AnalyzePipelineResult, runAnalyzePipeline } from './analyze-pipeline.ts';
import { answerDataJson, type CachedAnswer, cachedAnswerJson } from './answer-json.ts';
import { metaPromptVersion } from './meta-prompt.ts';
import { detectPromptLanguage, type PreparedPrompt, preparePrompt } from './preprocess/preprocess.ts';
import { requestParams, requestParamsJson } from './request-params.ts';
import type { SchemaGuard } from './schema-guard.ts';
import { detectSuspiciousInput } from './suspicious-input.ts';
import type { ValidatorCache } from './validator-cache.ts';

export interface AnalyzeContext {
  key: ApiKeyRecord;
  requestId: string;
  ip: string;
}

export interface AnalyzeServiceOptions {
  config: Readonly<Config>;
  gateway: ProviderGateway;
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

/** What the cache keeps for one answer: the pipeline result, shared by every later identical request. */

/**
 * `POST /v1/analyze` end to end: input policy, preprocessing, schema, cache (with coalescing), budget
 * and token reservations, the structured-output pipeline, and the request log.
 */
export class AnalyzeService {
  readonly #options: AnalyzeServiceOptions;

  constructor(options: AnalyzeServiceOptions) {
    this.#options = options;
  }

  async analyze(body: AnalyzeRequest, context: AnalyzeContext): Promise<AnalyzeResponse> {
    const started = performance.now();
    const { config } = this.#options;
    const options = body.options ?? {};
    const warnings: string[] = [];
    const provider = requestedProvider(body);
    try {
      this.#checkPrompt(body.prompt);
      this.#screen(body.prompt, context, warnings);
      const prepared = preparePrompt(body.prompt, { pii: options.pii ?? 'off' });
      warnings.push(...prepared.warnings);
      if (prepared.text.length === 0) {
        throw new AppError('validation_error', 'The prompt is empty after normalization.', {
          errors: [
            { path: '/body/prompt', message: 'must contain visible characters', keyword: 'minLength' },
          ],
        });
      }
      const schema: JsonSchema =
        body.schema === undefined
          ? (defaultOutputSchema as JsonSchema)
          : this.#options.schemaGuard.check(body.schema);
      const schemaName = body.schema === undefined ? 'default' : schemaNameOf(body.schema);
      const validation = options.validation ?? 'strict';
      const pinnedProvider = provider === 'auto' ? undefined : provider;
      const cacheKey = buildCacheKey({
        prompt: prepared.text,
        lowercase: config.cache.lowercasePrompts,
        schema: { kind: 'inline', schema },
        schemaName,
        provider: pinnedProvider,
        model: body.model,
        temperature: body.temperature,
        maxTokens: body.max_tokens,
        validationMode: validation,
        extra: keyExtra(options.language ?? 'auto', options.max_repair_attempts),
      });

      const lookup = () =>
        this.#options.cache.getOrCompute<CachedAnswer>(
          cacheKey,
          // A reaction rather than an async arrow: one suspended frame less per waiting request.
          () =>
            this.#generate(body, context, {
              prepared,
              schema,
              schemaName,
              provider: pinnedProvider,
              validation,
            }).then((value) => ({
              value,
              usage: { totalTokens: value.usage.totalTokens, costUsd: value.usage.costUsd },
            })),
          {
            ttlSeconds: options.cache_ttl,
            bypass: options.bypass_cache === true,
            encode: cachedAnswerJson,
            cacheable: (computed) =>
              computed.value.validation.status === 'passed' ||
              computed.value.validation.status === 'passed_relaxed',
          },
        );
      const outcome = this.#options.tracer?.enabled
        ? await this.#options.tracer.cacheLookup(lookup)
        : await lookup();

      const result = outcome.value;
      // A cache hit (or a coalesced wait) cost this request nothing: usage reports what was billed now.
      const billed =
        outcome.cached || outcome.coalesced
          ? { promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 }
          : result.usage;
      const allWarnings = [...warnings, ...result.warnings];
      if (
        options.confidence_threshold !== undefined &&
        result.confidence < options.confidence_threshold &&
        !allWarnings.some((w) => w.includes('confidence'))
      ) {
        allWarnings.push(
          `confidence ${result.confidence.toFixed(2)} is below the requested threshold ${options.confidence_threshold}`,
        );
      }
      const totalMs = round(performance.now() - started);
      const response: AnalyzeResponse = {
        request_id: context.requestId,
        data: result.data,
        validation: {
          status: result.validation.status,
          errors: result.validation.errors,
          attempts: outcome.cached ? 0 : result.validation.attempts,
        },
        confidence: result.confidence,
        language: result.language,
        provider: result.provider,
        model: result.model,
        cached: outcome.cached,
        failed_attempts: outcome.cached
          ? []
          : result.failedAttempts.map((attempt) => ({
              provider: attempt.provider,
              model: attempt.model,
              reason: attempt.kind,
            })),
        usage: {
          prompt_tokens: billed.promptTokens,
          completion_tokens: billed.completionTokens,
          total_tokens: billed.totalTokens,
          cost_usd: billed.costUsd,
        },
        timing: { total_ms: totalMs, llm_ms: outcome.cached || outcome.coalesced ? 0 : round(result.llmMs) },
        warnings: allWarnings,
      };
      this.#log(body, context, prepared.text, { response, billed, totalMs });
      if (!outcome.cached && !outcome.coalesced)
        this.#options.observer?.onKeyUsage(context.key.id, {
          costUsd: billed.costUsd,
          totalTokens: billed.totalTokens,
        });
      this.#options.observer?.onAnalyzed({
        response,
        result,
        cached: outcome.cached,
        coalesced: outcome.coalesced,
      });
      return response;
    } catch (error) {
      this.#logFailure(body, context, error, round(performance.now() - started));
      throw error;
    }
  }

  async #generate(
    body: AnalyzeRequest,
    context: AnalyzeContext,
    input: {
      prepared: PreparedPrompt;
      schema: JsonSchema;
      schemaName: string;
      provider?: string;
      validation: 'strict' | 'relaxed' | 'off';
    },
  ): Promise<CachedAnswer> {
    const { config, limits, gateway } = this.#options;
    const options = body.options ?? {};
    const prompt = input.prepared.text;
    // A forced language is passed to the model (and checked); otherwise the model keeps the request's
    // own language by itself, and the response's language is read from the answer afterwards.
    const requestedLanguage = options.language ?? 'auto';
    const forced =
      requestedLanguage === 'auto' ? undefined : detectPromptLanguage(input.prepared, requestedLanguage);
    const modelLanguage = forced?.detection.language;
    const maxTokens = body.max_tokens ?? 1024;
    const estimatedTokens = Math.ceil(prompt.length / 4) + 400 + maxTokens;
    const tokens = await limits.reserveTokens(context.key, estimatedTokens);
    if (tokens && !tokens.allowed) {
      this.#options.observer?.onLimitRejected('tokens');
      throw new AppError('rate_limited', `The key's limit of ${tokens.limit} tokens per minute is used up.`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(tokens.resetMs / 1000))) },
      });
    }
    const estimateUsd = gateway.estimateCostUsd(
      {
        system: '',
        messages: [{ role: 'user', content: prompt }],
        schema: input.schema,
        schemaName: input.schemaName,
        prompt,
        maxTokens,
      },
      { provider: input.provider, model: body.model },
    );
    const budget = await limits.reserveBudget(context.key, estimateUsd);
    if (budget && !budget.allowed) {
      this.#options.audit.record({
        eventType: 'budget.exceeded',
        result: 'denied',
        actorKeyId: context.key.id,
        ip: context.ip,
        requestId: context.requestId,
        details: { spent_usd: budget.spentUsd, budget_usd: budget.limitUsd, estimate_usd: estimateUsd },
      });
      this.#options.observer?.onLimitRejected('budget');
      throw new AppError(
        'budget_exceeded',
        `The key's monthly budget of $${budget.limitUsd} is used up ($${budget.spentUsd.toFixed(4)} spent).`,
      );
    }
    if (budget) this.#options.observer?.onBudget(context.key.id, budget.spentUsd, budget.limitUsd);
    let spentUsd = 0;
    let spentTokens = 0;
    const deadline = new Deadline(config.analyze.requestDeadlineMs);
    try {
      const result = await runAnalyzePipeline(
        {
          prompt,
          language: modelLanguage === undefined || modelLanguage === 'und' ? undefined : modelLanguage,
          schema: input.schema,
          schemaName: input.schemaName,
          provider: input.provider,
          model: body.model,
          temperature: body.temperature,
          maxTokens: body.max_tokens,
          validation: input.validation,
          maxRepairAttempts: options.max_repair_attempts ?? config.analyze.maxRepairAttempts,
          confidenceThreshold: options.confidence_threshold,
          maxCostUsd: options.max_cost_usd,
          signal: deadline.signal,
        },
        {
          gateway,
          validators: this.#options.validators,
          onAttempt: (attempt) => {
            spentUsd += attempt.costUsd;
            spentTokens += attempt.promptTokens + attempt.completionTokens;
          },
        },
      );
      const language =
        modelLanguage ??
        answeredLanguage(result.data, input.schemaName) ??
        detectPromptLanguage(input.prepared).detection.language;
      return { ...result, language, warnings: [...(forced?.warnings ?? []), ...result.warnings] };
    } finally {
      deadline.clear();
      // Reconcile with what was really spent, whether the pipeline succeeded or not.
      const settled = await limits.settleBudget(context.key, budget, spentUsd);
      if (settled) this.#options.observer?.onBudget(context.key.id, settled.spentUsd, settled.limitUsd);
      if (settled?.crossedWarning) {
        this.#options.audit.record({
          eventType: 'budget.warning',
          result: 'warning',
          actorKeyId: context.key.id,
          requestId: context.requestId,
          details: { spent_usd: settled.spentUsd, budget_usd: settled.limitUsd, threshold: 0.8 },
        });
      }
      await limits.settleTokens(context.key, estimatedTokens, spentTokens);
    }
  }

  #checkPrompt(prompt: string): void {
    const limit = this.#options.config.limits.maxPromptChars;
    if (prompt.length > limit) {
      throw new AppError(
        'validation_error',
        `The prompt has ${prompt.length} characters; the limit is ${limit}.`,
        {
          errors: [
            {
              path: '/body/prompt',
              message: `must NOT have more than ${limit} characters`,
              keyword: 'maxLength',
            },
          ],
        },
      );
    }
  }

  /** Flags (or, by policy, blocks) input shaped like an attack on whatever consumes the output. */
  #screen(prompt: string, context: AnalyzeContext, warnings: string[]): void {
    const findings = detectSuspiciousInput(prompt);
    if (findings.length === 0) return;
    const policy = context.key.suspiciousInputPolicy ?? this.#options.config.auth.suspiciousInputPolicy;
    const kinds = findings.map((finding) => finding.kind);
    this.#options.audit.record({
      eventType: 'input.suspicious',
      result: policy === 'block' ? 'denied' : 'flagged',
      actorKeyId: context.key.id,
      ip: context.ip,
      requestId: context.requestId,
      details: { kinds, excerpts: findings.map((finding) => finding.excerpt) },
    });
    for (const kind of kinds) this.#options.observer?.onSuspiciousInput(kind);
    if (policy === 'block') {
      throw new AppError(
        'suspicious_input',
        `The prompt was blocked by policy: it looks like ${kinds.join(', ').replaceAll('_', ' ')}.`,
      );
    }
    warnings.push(`suspicious input flagged: ${kinds.join(', ')}`);
  }

  #log(
    body: AnalyzeRequest,
    context: AnalyzeContext,
    promptText: string,
    done: { response: AnalyzeResponse; billed: AnalyzePipelineResult['usage']; totalMs: number },
  ): void {
    const { response, billed } = done;
    const paramsJson = requestParamsJson(body, response.failed_attempts);
    this.#options.logWriter.write({
      requestId: context.requestId,
      apiKeyId: context.key.id,
      promptText,
      promptLength: body.prompt.length,
      // As text when it is all scalars, as an object otherwise (request-params.ts).
      requestParams: paramsJson === undefined ? requestParams(body, response.failed_attempts) : undefined,
      requestParamsJson: paramsJson,
      // Its text, which the cache entry or the response writes too (answer-json.ts).
      responseDataJson: answerDataJson(response.data),
      validationStatus: response.validation.status,
      providerUsed: response.provider,
      model: response.model,
      processingTimeMs: done.totalMs,
      tokensUsed: billed.totalTokens,
      promptTokens: billed.promptTokens,
      completionTokens: billed.completionTokens,
      costUsd: billed.costUsd,
      confidence: response.confidence,
      cached: response.cached,
    });
  }

  #logFailure(body: AnalyzeRequest, context: AnalyzeContext, error: unknown, totalMs: number): void {
    const known = toAppError(error);
    const usage = (known?.extensions.usage ?? {}) as {
      prompt_tokens?: number;
      completion_tokens?: number;
      total_tokens?: number;
      cost_usd?: number;
    };
    this.#options.logWriter.write({
      requestId: context.requestId,
      apiKeyId: context.key.id,
      promptText: null,
      promptLength: typeof body.prompt === 'string' ? body.prompt.length : 0,
      requestParams: requestParams(body),
      validationStatus: known?.code === 'output_validation_failed' ? 'failed' : 'error',
      processingTimeMs: totalMs,
      tokensUsed: usage.total_tokens ?? 0,
      promptTokens: usage.prompt_tokens ?? 0,
      completionTokens: usage.completion_tokens ?? 0,
      costUsd: usage.cost_usd ?? 0,
      cached: false,
      errorMessage: known ? `${known.code}: ${known.message}`.slice(0, 500) : 'internal_error',
    });
  }
}

/** The default schema's `original_language`, when the answer gives a plausible ISO 639 code. */
function answeredLanguage(data: unknown, schemaName: string): string | undefined {
  if (schemaName !== 'default' || data === null || typeof data !== 'object') return undefined;
  const code = (data as { original_language?: unknown }).original_language;
  return typeof code === 'string' && /^(?:[a-z]{2,3}|und)$/.test(code) ? code : undefined;
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

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The cache key's `extra` for one combination of options, one frozen object per combination, so the
 * key builder serializes each combination once (it keeps texts per object). Bounded: the language
 * comes from requests.
 */
const keyExtras = new Map<string, Readonly<Record<string, unknown>>>();
function keyExtra(language: string, maxRepairAttempts: number | undefined): Record<string, unknown> {
  const id = `${language}\u0000${maxRepairAttempts ?? ''}`;
  let extra = keyExtras.get(id);
  if (!extra) {
    extra = Object.freeze({ metaPrompt: metaPromptVersion, language, maxRepairAttempts });
    if (keyExtras.size >= 256) keyExtras.clear();
    keyExtras.set(id, extra);
  }
  return extra;
}
