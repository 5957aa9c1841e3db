/**
 * The offline analyzer as a provider: no model, no network, deterministic for a given prompt and
 * clock. It is the last fallback of every route and what a fresh install answers with.
 *
 * - Default schema: the analysis of analyze-prompt.ts, always valid against it.
 * - Any other schema: fill-custom-schema.ts fills what the prompt supports and lists the rest in
 *   `warnings`.
 * - Confidence cap (docs/heuristic-analyzer.md): 0.6 for the default schema — right often enough to
 *   be useful, never as trustworthy as a model; for a custom schema 0.6 × the share of leaf values
 *   taken from the prompt (at least 0.1), so an answer made of placeholders cannot look confident.
 * - Never throws for any input: an internal failure still yields a schema-shaped answer with a
 *   warning. The only rejection is an aborted signal, as a ProviderError of kind `aborted`.
 */
import { defaultOutputSchema, type PromptAnalysis } from '@structured-prompt/contracts';
import type { GenerateOptions, GenerateRequest, GenerateResult, Provider } from '../../spec/provider.ts';
import { ProviderError } from '../../spec/provider-error.ts';
import { type LanguageDetector, loadLanguageDetector } from '../../text/language-detector.ts';

/**
 * The NLP libraries behind the analyzer (compromise, chrono) cost ≈ 50 MB of memory. They load on the
 * first request this provider answers, so a deployment whose cloud providers never fall back to it
 * never pays for them.
 */
type Analyzer = {
  analyzePrompt: typeof import('./analyze-prompt.ts').analyzePrompt;
  fillCustomSchema: typeof import('./fill-custom-schema.ts').fillCustomSchema;
};
let analyzer: Promise<Analyzer> | undefined;
function loadAnalyzer(): Promise<Analyzer> {
  analyzer ??= Promise.all([import('./analyze-prompt.ts'), import('./fill-custom-schema.ts')]).then(
    ([prompt, schema]) => ({
      analyzePrompt: prompt.analyzePrompt,
      fillCustomSchema: schema.fillCustomSchema,
    }),
  );
  return analyzer;
}

export interface HeuristicProviderOptions {
  /** Name in the configuration; `heuristic` unless configured otherwise. */
  name?: string;
  /** Clock for relative dates ("tomorrow"); injected so tests and replays are reproducible. */
  now?: () => Date;
  /** Upper bound of the confidence of its answers; 0.6 unless configured. */
  confidenceCap?: number;
  /** The service's language detector; without one, the provider loads its own on its first answer. */
  languageDetector?: LanguageDetector;
}

const heuristicModel = 'heuristic-v1';
const defaultHeuristicConfidenceCap = 0.6;
const minimumCustomCap = 0.1;
const defaultSchemaText = JSON.stringify(defaultOutputSchema);

/** Rough token estimate used across the service for offline answers: four characters a token. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class HeuristicProvider implements Provider {
  readonly name: string;
  readonly kind = 'heuristic' as const;
  readonly defaultModel = heuristicModel;
  readonly models: readonly string[] = [heuristicModel];
  readonly #now: () => Date;
  readonly #cap: number;
  #languageDetector: Promise<LanguageDetector> | undefined;

  constructor(options: HeuristicProviderOptions = {}) {
    this.name = options.name ?? 'heuristic';
    this.#now = options.now ?? (() => new Date());
    this.#cap = options.confidenceCap ?? defaultHeuristicConfidenceCap;
    if (options.languageDetector) this.#languageDetector = Promise.resolve(options.languageDetector);
  }

  async generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult> {
    this.#throwIfAborted(options.signal);
    this.#languageDetector ??= loadLanguageDetector();
    const [modules, languageDetector] = await Promise.all([loadAnalyzer(), this.#languageDetector]);
    // Let an already-expired deadline fire before doing the work.
    await new Promise((resolve) => setImmediate(resolve));
    this.#throwIfAborted(options.signal);
    const prompt = typeof request.prompt === 'string' ? request.prompt : '';
    const answer = this.#answer(request, prompt, { ...modules, languageDetector });
    const text = JSON.stringify(answer.value);
    return {
      text,
      model: heuristicModel,
      usage: { promptTokens: estimateTokens(prompt), completionTokens: estimateTokens(text) },
      finishReason: 'stop',
      confidenceCap: answer.cap,
      warnings: answer.warnings,
    };
  }

  #answer(
    request: GenerateRequest,
    prompt: string,
    { analyzePrompt, fillCustomSchema, languageDetector }: Analyzer & { languageDetector: LanguageDetector },
  ): { value: unknown; cap: number; warnings: string[] } {
    const isDefault =
      request.schemaName === 'default' || JSON.stringify(request.schema) === defaultSchemaText;
    try {
      const { analysis, spans } = analyzePrompt(prompt, {
        language: request.language,
        now: this.#now(),
        languageDetector,
      });
      if (isDefault) return { value: analysis, cap: this.#cap, warnings: [] };
      const filled = fillCustomSchema(request.schema, { prompt, analysis, spans });
      const leaves = filled.filled + filled.placeholders;
      const share = leaves === 0 ? 0.5 : filled.filled / leaves;
      const cap = Math.max(minimumCustomCap, Math.round(this.#cap * share * 100) / 100);
      return { value: filled.value, cap, warnings: filled.warnings };
    } catch (error) {
      // A bug in an extractor must not take the last fallback down with it.
      const reason = error instanceof Error ? error.message : String(error);
      const fallback: PromptAnalysis = {
        intent: 'other',
        subject: prompt.slice(0, 80).trim(),
        entities: [],
        output_format: 'text',
        original_language: 'und',
      };
      return {
        value: isDefault ? fallback : {},
        cap: minimumCustomCap,
        warnings: [`heuristic: analysis failed (${reason}); a minimal answer was returned`],
      };
    }
  }

  #throwIfAborted(signal: AbortSignal): void {
    if (signal.aborted) {
      throw new ProviderError(this.name, 'aborted', 'the heuristic analysis was aborted', {
        cause: signal.reason,
      });
    }
  }
}
