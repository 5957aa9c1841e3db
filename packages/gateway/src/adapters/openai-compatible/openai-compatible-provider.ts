import { userAgent } from '../../lib/user-agent.ts';
import { memoizedCompiler, stripNullOptionals } from '../../schema-compiler/index.ts';
import type { GenerateOptions, GenerateRequest, GenerateResult, Provider } from '../../spec/provider.ts';
import { ProviderError } from '../../spec/provider-error.ts';
import type { ProviderSettings } from '../../spec/provider-settings.ts';
import { safeName, withSchemaInstructions } from '../ai-sdk/convert-request.ts';
import { kindOfStatus, toProviderError } from '../ai-sdk/map-api-error.ts';
import { parseErrorBody, parseRetryAfter, redactSecrets } from '../ai-sdk/parse-error-body.ts';
import { OversizedAnswerError, type PooledAnswer, postJsonThroughPool } from '../ai-sdk/provider-fetch.ts';
import {
  chatCompletionsBody,
  JsonFragments,
  MalformedCompletionError,
  type ResponseFormat,
  readChatCompletion,
} from './chat-completions-wire.ts';

/**
 * Any server speaking OpenAI chat completions (vLLM, Ollama, LM Studio, llama.cpp server, Groq,
 * Together …), through our own client for that wire format (ADR 0012) over the shared keep-alive
 * pool. Strict `json_schema` when the schema compiles to the strict subset and the server supports
 * structured outputs; otherwise `json_object` with the schema in the instructions.
 */
export class OpenAiCompatibleProvider implements Provider {
  readonly name: string;
  readonly kind = 'openai-compatible' as const;
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly #settings: ProviderSettings;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #compile = memoizedCompiler('openai');
  readonly #fragments = new JsonFragments();

  constructor(settings: ProviderSettings) {
    if (!settings.baseUrl)
      throw new Error(`provider ${settings.name}: an OpenAI-compatible provider needs baseUrl`);
    this.name = settings.name;
    this.defaultModel = settings.defaultModel;
    this.models = settings.models.length > 0 ? settings.models : [settings.defaultModel];
    this.#settings = settings;
    this.#url = `${settings.baseUrl.replace(/\/+$/, '')}/chat/completions`;
    this.#headers = {
      'user-agent': userAgent,
      ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
    };
  }

  async generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult> {
    const model = request.model ?? this.defaultModel;
    const compiled = this.#compile(request.schema);
    const strict =
      this.#settings.structuredOutputs && compiled.mode === 'strict-json-schema' && compiled.schema;
    const responseFormat: ResponseFormat = strict
      ? { type: 'json_schema', name: safeName(request.schemaName), schema: compiled.schema! }
      : { type: 'json_object' };
    const baseSystem = this.#settings.metaPrompt ?? request.system;

    let answer: PooledAnswer;
    try {
      // The body (several KB with the system prompt) is built inline, never held in a local across
      // the await: hundreds of calls in flight would keep hundreds of them alive.
      answer = await postJsonThroughPool(this.#url, {
        headers: this.#headers,
        body: chatCompletionsBody(
          {
            model,
            system: strict ? baseSystem : withSchemaInstructions(baseSystem, request.schema),
            messages: request.messages,
            temperature: request.temperature ?? this.#settings.temperature,
            maxTokens: request.maxTokens ?? this.#settings.maxTokens,
            responseFormat,
          },
          this.#fragments,
        ),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof OversizedAnswerError && !options.signal.aborted) {
        throw new ProviderError(this.name, 'malformed_response', `malformed response: ${error.message}`);
      }
      throw toProviderError(this.name, error, options.signal);
    }
    if (answer.statusCode < 200 || answer.statusCode > 299) throw this.#httpError(answer);

    let completion: ReturnType<typeof readChatCompletion>;
    try {
      completion = readChatCompletion(JSON.parse(answer.body.toString('utf8')));
    } catch (error) {
      const reason = error instanceof MalformedCompletionError ? error.message : 'the body is not JSON';
      throw new ProviderError(this.name, 'malformed_response', `malformed response: ${reason}`, {
        cause: error,
        statusCode: answer.statusCode,
      });
    }
    return {
      // Nulls appear only where the compiler made an optional property nullable.
      text:
        strict && compiled.nullsToStrip
          ? stripNullOptionals(completion.text, request.schema)
          : completion.text,
      model: completion.model ?? model,
      usage: completion.usage,
      finishReason: completion.finishReason,
      warnings: [...compiled.warnings],
    };
  }

  #httpError(answer: PooledAnswer): ProviderError {
    const body = parseErrorBody(answer.body.toString('utf8'));
    const retryAfterMs = parseRetryAfter(answer.headers) ?? body.retryAfterMs;
    const kind = answer.statusCode < 400 ? 'malformed_response' : kindOfStatus(answer.statusCode);
    const detail = body.message ?? `status ${answer.statusCode}`;
    return new ProviderError(this.name, kind, redactSecrets(`HTTP ${answer.statusCode}: ${detail}`), {
      statusCode: answer.statusCode,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

export function createOpenAiCompatibleProvider(settings: ProviderSettings): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider(settings);
}
