import type {
  AnalyzeResponse,
  ChatCompletion,
  ChatCompletionRequest,
  ModelList,
} from '@structured-prompt/contracts';
import type { GatewayPort } from '../../services.ts';
import type { AnalyzeService } from '../analyze/analyze.service.ts';
import type { AnalyzeContext } from '../analyze/analyze-context.ts';
import { type ChatAsAnalyze, chatAsAnalyze, type ModelCatalogEntry } from './chat-request.ts';

export interface ChatCompletionsDeps {
  analyze: Pick<AnalyzeService, 'analyze'>;
  gateway: Pick<GatewayPort, 'listProviderStatus'>;
}

/** The answer and what the route puts in headers: provider, cache status and cost. */
export interface ChatCompletionAnswer {
  completion: ChatCompletion;
  response: AnalyzeResponse;
}

/**
 * `POST /v1/chat/completions` and `GET /v1/models` on top of the analyze service: a chat request
 * becomes an analyze request (so keys, limits, budgets, cache, validation, re-asks and the request log
 * behave the same), and the analyze answer becomes OpenAI's chat completion.
 */
export class ChatCompletionsService {
  readonly #deps: ChatCompletionsDeps;

  constructor(deps: ChatCompletionsDeps) {
    this.#deps = deps;
  }

  /** The analyze service a streamed completion goes through. */
  get analyze(): Pick<AnalyzeService, 'analyze'> {
    return this.#deps.analyze;
  }

  /** The chat request as an analyze request; throws the 404 of an unknown model. */
  translate(request: ChatCompletionRequest): ChatAsAnalyze {
    return chatAsAnalyze(request, this.catalog());
  }

  async complete(request: ChatCompletionRequest, context: AnalyzeContext): Promise<ChatCompletionAnswer> {
    const chat = this.translate(request);
    const response = await this.#deps.analyze.analyze(chat.body, context);
    return { completion: toChatCompletion(response, chat), response };
  }

  /** Providers the router can use right now, with their models. */
  catalog(): ModelCatalogEntry[] {
    return this.#deps.gateway
      .listProviderStatus()
      .filter((status) => status.enabled)
      .map((status) => ({ provider: status.name, models: status.models }));
  }

  models(): ModelList {
    const data: ModelList['data'] = [{ id: 'auto', object: 'model', created: 0, owned_by: 'router' }];
    const seen = new Set(['auto']);
    for (const { provider, models } of this.catalog()) {
      for (const model of models) {
        if (seen.has(model)) continue;
        seen.add(model);
        data.push({ id: model, object: 'model', created: 0, owned_by: provider });
      }
    }
    return { object: 'list', data };
  }
}

/** OpenAI's completion id for one of our requests: the request id, so logs and answers match up. */
function completionId(requestId: string): string {
  return `chatcmpl-${requestId}`;
}

function toChatCompletion(response: AnalyzeResponse, chat: ChatAsAnalyze): ChatCompletion {
  return {
    id: completionId(response.request_id),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: chat.content(response.data), refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: response.usage.prompt_tokens,
      completion_tokens: response.usage.completion_tokens,
      total_tokens: response.usage.total_tokens,
    },
  };
}

/** Our extras on an OpenAI-shaped answer: who served it, from the cache or not, and what it cost. */
export function extraHeaders(response: AnalyzeResponse): Record<string, string> {
  return {
    'x-provider': response.provider,
    'x-cache': response.cached ? 'hit' : 'miss',
    'x-cost-usd': String(response.usage.cost_usd),
    'x-validation-attempts': String(response.validation.attempts),
  };
}
