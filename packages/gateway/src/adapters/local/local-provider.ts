import { compileForLocal, defaultGrammarCaps } from '../../schema-compiler/index.ts';
import type {
  GenerateOptions,
  GenerateRequest,
  GenerateResult,
  Provider,
  ProviderKind,
} from '../../spec/provider.ts';
import { ProviderError } from '../../spec/provider-error.ts';
import { outputTokenCap, type ProviderSettings } from '../../spec/provider-settings.ts';
import { toProviderError } from '../ai-sdk/map-api-error.ts';
import type {
  ChatHistoryItem,
  Llama,
  LlamaContext,
  LlamaGrammar,
  LlamaModel,
  LlamaRuntime,
} from './node-llama-cpp-runtime.ts';
import { loadRuntime } from './node-llama-cpp-runtime.ts';
import { TaskQueue } from './task-queue.ts';

interface Loaded {
  runtime: LlamaRuntime;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
}

/** Grammars are costly to build and schemas repeat (the default schema, registry schemas). */
const grammarCacheSize = 32;

/**
 * A GGUF model run in-process by node-llama-cpp (CPU, or GPU when one is found). Generation is
 * constrained by the JSON-schema grammar with capped strings and arrays plus a token limit, so it
 * always terminates; calls go through a bounded queue with one context sequence per running call.
 */
export class LocalProvider implements Provider {
  readonly name: string;
  readonly kind: ProviderKind = 'local';
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly #settings: ProviderSettings;
  readonly #loadRuntime: () => Promise<LlamaRuntime>;
  readonly #queue: TaskQueue;
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();
  #loaded: Promise<Loaded> | undefined;

  constructor(
    settings: ProviderSettings,
    options: { loadRuntime?: () => Promise<LlamaRuntime>; maxQueued?: number } = {},
  ) {
    this.name = settings.name;
    this.defaultModel = settings.defaultModel;
    this.models = settings.models;
    this.#settings = settings;
    this.#loadRuntime = options.loadRuntime ?? (() => loadRuntime());
    this.#queue = new TaskQueue(settings.name, {
      concurrency: settings.maxConcurrency,
      maxQueued: options.maxQueued ?? 32,
    });
  }

  async generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult> {
    const compiled = compileForLocal(request.schema, {
      ...defaultGrammarCaps,
      ...(this.#settings.maxStringLength ? { maxStringLength: this.#settings.maxStringLength } : {}),
      ...(this.#settings.maxArrayItems ? { maxArrayItems: this.#settings.maxArrayItems } : {}),
    });
    try {
      return await this.#queue.run(async () => {
        const loaded = await this.#load();
        const grammar = await this.#grammar(loaded.llama, compiled.schema);
        const sequence = loaded.context.getSequence();
        const session = new loaded.runtime.LlamaChatSession({ contextSequence: sequence });
        try {
          const turns = request.messages;
          const last = turns.at(-1);
          session.setChatHistory([
            { type: 'system', text: this.#settings.metaPrompt ?? request.system },
            ...turns
              .slice(0, -1)
              .map(
                (turn): ChatHistoryItem =>
                  turn.role === 'user'
                    ? { type: 'user', text: turn.content }
                    : { type: 'model', response: [turn.content] },
              ),
          ]);
          const maxTokens = outputTokenCap(request, this.#settings);
          const answer = await session.promptWithMeta(last?.content ?? request.prompt, {
            grammar,
            maxTokens,
            temperature: request.temperature ?? this.#settings.temperature ?? 0,
            signal: options.signal,
            stopOnAbortSignal: false,
          });
          return {
            text: answer.responseText,
            model: this.defaultModel,
            usage: {
              promptTokens: sequence.tokenMeter.usedInputTokens,
              completionTokens: sequence.tokenMeter.usedOutputTokens,
            },
            finishReason: answer.stopReason === 'maxTokens' ? 'length' : 'stop',
            warnings: [...compiled.warnings],
          };
        } finally {
          session.dispose();
          sequence.dispose();
        }
      }, options.signal);
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw toProviderError(this.name, error, options.signal);
    }
  }

  async close(): Promise<void> {
    const loaded = await this.#loaded?.catch(() => undefined);
    if (!loaded) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.llama.dispose();
  }

  /** Loads runtime, model and context once; a failed load is retried on the next call. */
  #load(): Promise<Loaded> {
    this.#loaded ??= (async () => {
      const runtime = await this.#loadRuntime();
      const llama = await runtime.getLlama({
        gpu: 'auto',
        build: 'never',
        progressLogs: false,
        logLevel: 'error',
      });
      const model = await llama.loadModel({ modelPath: this.#settings.modelPath! });
      const context = await model.createContext({
        sequences: this.#settings.maxConcurrency,
        ...(this.#settings.contextSize ? { contextSize: this.#settings.contextSize } : {}),
      });
      return { runtime, llama, model, context };
    })().catch((error: unknown) => {
      this.#loaded = undefined;
      throw new ProviderError(
        this.name,
        'connection',
        `local model failed to load: ${(error as Error).message}`,
        {
          cause: error,
          isRetryable: false,
        },
      );
    });
    return this.#loaded;
  }

  #grammar(llama: Llama, schema: unknown): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.#grammars.get(key);
    if (!grammar) {
      grammar = llama.createGrammarForJsonSchema(schema);
      grammar.catch(() => this.#grammars.delete(key));
      if (this.#grammars.size >= grammarCacheSize) this.#grammars.delete(this.#grammars.keys().next().value!);
      this.#grammars.set(key, grammar);
    }
    return grammar;
  }
}
