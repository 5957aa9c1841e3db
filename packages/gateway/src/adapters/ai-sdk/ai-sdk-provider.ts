import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
} from '@ai-sdk/provider';
import { type CompiledSchema, memoizedCompiler, type SchemaTarget } from '../../schema-compiler/index.ts';
import type {
  FinishReason,
  GenerateOptions,
  GenerateRequest,
  GenerateResult,
  Provider,
  ProviderKind,
} from '../../spec/provider.ts';
import { outputTokenCap, type ProviderSettings } from '../../spec/provider-settings.ts';
import { mapFinishReason, mapUsage, toPrompt, withSchemaInstructions } from './convert-request.ts';
import { toProviderError } from './map-api-error.ts';
import { streamAnswer } from './stream-answer.ts';

/** Call options a dialect adds: response format, tools, provider options. */
type DialectCallOptions = Pick<
  LanguageModelV3CallOptions,
  'responseFormat' | 'tools' | 'toolChoice' | 'providerOptions'
>;

interface DialectAnswer {
  text: string;
  finishReason?: FinishReason;
  tokenProbability?: number;
}

/** What differs between vendors once the wire protocol is the AI SDK's business. */
export interface Dialect {
  target: SchemaTarget;
  /** Whether the schema only travels in the instructions (defaults to the compiler's JSON mode). */
  usesJsonMode?(compiled: CompiledSchema): boolean;
  callOptions(compiled: CompiledSchema, request: GenerateRequest): DialectCallOptions;
  answer(
    result: LanguageModelV3GenerateResult,
    compiled: CompiledSchema,
    request: GenerateRequest,
  ): DialectAnswer;
}

/** Joined text parts of a result: the raw answer for targets that answer in text. */
export function textOf(result: LanguageModelV3GenerateResult): string {
  return result.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
}

/**
 * A provider backed by an AI SDK language model's low-level `doGenerate`: no `generateObject`, so
 * the raw text comes back to our own lenient parser and validator, and errors map to ProviderError.
 */
export class AiSdkProvider implements Provider {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly #settings: ProviderSettings;
  readonly #modelFor: (modelId: string) => LanguageModelV3;
  readonly #dialect: Dialect;
  readonly #cache = new Map<string, LanguageModelV3>();
  readonly #compile: (schema: GenerateRequest['schema']) => CompiledSchema;

  constructor(settings: ProviderSettings, modelFor: (modelId: string) => LanguageModelV3, dialect: Dialect) {
    this.name = settings.name;
    this.kind = settings.kind;
    this.defaultModel = settings.defaultModel;
    this.models = settings.models.length > 0 ? settings.models : [settings.defaultModel];
    this.#settings = settings;
    this.#modelFor = modelFor;
    this.#dialect = dialect;
    this.#compile = memoizedCompiler(dialect.target);
  }

  async generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult> {
    const modelId = request.model ?? this.defaultModel;
    const compiled = this.#compile(request.schema);
    let system = this.#settings.metaPrompt ?? request.system;
    const jsonMode = this.#dialect.usesJsonMode?.(compiled) ?? compiled.mode === 'json-mode';
    if (jsonMode) system = withSchemaInstructions(system, request.schema);
    const temperature = request.temperature ?? this.#settings.temperature;
    const maxOutputTokens = outputTokenCap(request, this.#settings);
    try {
      const callOptions: LanguageModelV3CallOptions = {
        prompt: toPrompt(request, system),
        ...(temperature === undefined ? {} : { temperature }),
        maxOutputTokens,
        ...this.#dialect.callOptions(compiled, request),
        abortSignal: options.signal,
      };
      const model = this.#model(modelId);
      const result = options.sink
        ? await streamAnswer(model, callOptions, options.sink)
        : await model.doGenerate(callOptions);
      const answer = this.#dialect.answer(result, compiled, request);
      return {
        text: answer.text,
        model: result.response?.modelId ?? modelId,
        usage: mapUsage(result.usage),
        finishReason: answer.finishReason ?? mapFinishReason(result.finishReason),
        ...(answer.tokenProbability === undefined ? {} : { tokenProbability: answer.tokenProbability }),
        warnings: [...compiled.warnings],
      };
    } catch (error) {
      throw toProviderError(this.name, error, options.signal);
    }
  }

  #model(modelId: string): LanguageModelV3 {
    let model = this.#cache.get(modelId);
    if (!model) {
      model = this.#modelFor(modelId);
      this.#cache.set(modelId, model);
    }
    return model;
  }
}
