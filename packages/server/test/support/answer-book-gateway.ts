import type {
  GenerateRequest,
  ProviderStatus,
  RoutedGeneration,
  RouteOptions,
} from '@structured-prompt/gateway';

/**
 * An in-process gateway that answers each request with the text registered for its prompt (as
 * preprocessing normalized it), so one app can serve many independent cases in any order. An
 * unregistered prompt throws, which fails the request with a 500 and so the test.
 */
export class AnswerBookGateway {
  readonly #answers = new Map<string, string>();

  /** Registers the answer to `prompt`; prompts should be plain tokens that normalization keeps. */
  answer(prompt: string, text: string): void {
    this.#answers.set(prompt, text);
  }

  async generate(request: GenerateRequest, options: RouteOptions): Promise<RoutedGeneration> {
    options.signal.throwIfAborted();
    const text = this.#answers.get(request.prompt);
    if (text === undefined) throw new Error(`AnswerBookGateway: no answer for prompt ${request.prompt}`);
    return {
      text,
      provider: 'answer-book',
      model: 'answer-book',
      usage: { promptTokens: 1, completionTokens: 1 },
      finishReason: 'stop',
      costUsd: 0,
      llmMs: 0,
      warnings: [],
      failedAttempts: [],
    };
  }

  estimateCostUsd(): number {
    return 0;
  }

  listProviderStatus(): ProviderStatus[] {
    return [];
  }

  async close(): Promise<void> {}
}
