import type { LanguageDetector, ProviderGateway } from '@structured-prompt/gateway';
import { Deadline } from '@structured-prompt/gateway';
import type { Config } from '../../config/index.ts';
import type { AnalyzeContext, ResolvedRequest } from './analyze-context.ts';
import { type AnalyzePipelineResult, type AttemptUsage, runAnalyzePipeline } from './analyze-pipeline.ts';
import type { BudgetGuard, SpendEstimate, SpendHooks } from './budget-guard.ts';
import { detectPromptLanguage } from './preprocess/preprocess.ts';
import type { ValidatorCache } from './validator-cache.ts';

/**
 * One generated answer, as the response cache keeps it: the pipeline's result, the answer's language
 * and each model call's usage (for the request log).
 */
export type CachedAnswer = AnalyzePipelineResult & { language: string; calls?: AttemptUsage[] };

export interface AnswerGeneratorDeps {
  analyze: Config['analyze'];
  gateway: ProviderGateway;
  validators: Pick<ValidatorCache, 'get'>;
  budget: BudgetGuard;
  languageDetector: LanguageDetector;
}

/** Output tokens assumed for the per-minute token estimate when the request sets no `max_tokens`. */
const defaultMaxTokens = 1024;
/** Tokens of the instructions and schema around the prompt, for the estimate. */
const instructionTokens = 400;

/**
 * A cache miss: the structured-output pipeline, within the key's token and budget limits and the
 * request deadline, then the answer's language.
 */
export class AnswerGenerator {
  readonly #deps: AnswerGeneratorDeps;

  constructor(deps: AnswerGeneratorDeps) {
    this.#deps = deps;
  }

  async generate(request: ResolvedRequest, context: AnalyzeContext): Promise<CachedAnswer> {
    const { body, prepared } = request;
    const options = body.options ?? {};
    // A forced language is passed to the model (and checked); otherwise the model keeps the request's
    // own language by itself, and the response's language is read from the answer afterwards.
    const requestedLanguage = options.language ?? 'auto';
    const detector = this.#deps.languageDetector;
    const forced =
      requestedLanguage === 'auto' ? undefined : detectPromptLanguage(detector, prepared, requestedLanguage);
    const modelLanguage = forced?.detection.language;
    const calls: AttemptUsage[] = [];
    const result = await this.#deps.budget.run(context, this.#estimate(request), (hooks) =>
      this.#runPipeline(
        request,
        modelLanguage === 'und' ? undefined : modelLanguage,
        {
          ...hooks,
          track: (attempt) => {
            calls.push(attempt);
            hooks.track(attempt);
          },
        },
        context.stream,
      ),
    );
    const language =
      modelLanguage ??
      answeredLanguage(result.data, request.schemaName) ??
      detectPromptLanguage(detector, prepared).detection.language;
    return { ...result, language, calls, warnings: [...(forced?.warnings ?? []), ...result.warnings] };
  }

  /** Tokens for the per-minute limit; money is reserved per attempt, on the request really sent. */
  #estimate({ body, prepared }: ResolvedRequest): SpendEstimate {
    const maxTokens = body.max_tokens ?? defaultMaxTokens;
    return { tokens: Math.ceil(prepared.text.length / 4) + instructionTokens + maxTokens };
  }

  async #runPipeline(
    request: ResolvedRequest,
    language: string | undefined,
    hooks: SpendHooks,
    stream: AnalyzeContext['stream'],
  ): Promise<AnalyzePipelineResult> {
    const { body } = request;
    const options = body.options ?? {};
    // A streamed request also ends when its client goes away.
    const deadline = new Deadline(this.#deps.analyze.requestDeadlineMs, stream?.signal);
    try {
      return await runAnalyzePipeline(
        {
          prompt: request.prepared.text,
          language,
          schema: request.schema,
          schemaHash: request.schemaHash,
          schemaName: request.schemaName,
          provider: request.provider,
          model: body.model,
          temperature: body.temperature,
          maxTokens: body.max_tokens,
          validation: request.validation,
          maxRepairAttempts: options.max_repair_attempts ?? this.#deps.analyze.maxRepairAttempts,
          maxCostUsd: options.max_cost_usd,
          signal: deadline.signal,
          ...(stream === undefined ? {} : { stream }),
        },
        {
          gateway: this.#deps.gateway,
          validators: this.#deps.validators,
          onAttempt: hooks.track,
          reserveAttempt: hooks.reserve,
        },
      );
    } finally {
      deadline.clear();
    }
  }
}

/** The default schema's `original_language`, when the answer gives a plausible ISO 639 code. */
function answeredLanguage(data: unknown, schemaName: string): string | undefined {
  if (schemaName !== 'default' || data === null || typeof data !== 'object') return undefined;
  const code = (data as { original_language?: unknown }).original_language;
  return typeof code === 'string' && /^(?:[a-z]{2,3}|und)$/.test(code) ? code : undefined;
}
