import type {
  FailedAttempt,
  FinishReason,
  GenerateRequest,
  ProviderGateway,
  RoutedGeneration,
  RouteOptions,
} from '@structured-prompt/gateway';

/** One planned answer of the scripted gateway, or an error it throws instead. */
export type ScriptedStep =
  | {
      text: string;
      promptTokens?: number;
      completionTokens?: number;
      costUsd?: number;
      provider?: string;
      model?: string;
      llmMs?: number;
      finishReason?: FinishReason;
      tokenProbability?: number;
      confidenceCap?: number;
      warnings?: string[];
      failedAttempts?: FailedAttempt[];
    }
  | { error: Error };

export interface ScriptedCall {
  request: GenerateRequest;
  options: RouteOptions;
}

export interface ScriptedGatewayOptions {
  /** What `estimateCostUsd` answers: a fixed amount or a function of the request. Default 0. */
  estimate?: number | ((request: GenerateRequest) => number);
}

/**
 * An in-process ProviderGateway that answers with a planned sequence of outputs and records every
 * call, so pipeline tests can script "invalid, then valid" and inspect what was sent. Asking for more
 * answers than were planned throws, which makes an unexpected extra re-ask fail the test.
 */
export class ScriptedGateway implements ProviderGateway {
  readonly calls: ScriptedCall[] = [];
  readonly estimates: GenerateRequest[] = [];
  readonly #steps: ScriptedStep[];
  readonly #estimate: number | ((request: GenerateRequest) => number);

  constructor(steps: ScriptedStep[], options: ScriptedGatewayOptions = {}) {
    this.#steps = [...steps];
    this.#estimate = options.estimate ?? 0;
  }

  /** Planned answers not consumed yet. */
  get remaining(): number {
    return this.#steps.length;
  }

  async generate(request: GenerateRequest, options: RouteOptions): Promise<RoutedGeneration> {
    this.calls.push({ request: structuredClone(request), options });
    options.signal.throwIfAborted();
    const step = this.#steps.shift();
    if (step === undefined)
      throw new Error(`ScriptedGateway: no answer planned for call ${this.calls.length}`);
    if ('error' in step) throw step.error;
    return {
      text: step.text,
      provider: step.provider ?? 'scripted',
      model: step.model ?? 'scripted-model',
      usage: { promptTokens: step.promptTokens ?? 10, completionTokens: step.completionTokens ?? 5 },
      finishReason: step.finishReason ?? 'stop',
      costUsd: step.costUsd ?? 0,
      llmMs: step.llmMs ?? 1,
      warnings: step.warnings ?? [],
      failedAttempts: step.failedAttempts ?? [],
      ...(step.tokenProbability === undefined ? {} : { tokenProbability: step.tokenProbability }),
      ...(step.confidenceCap === undefined ? {} : { confidenceCap: step.confidenceCap }),
    };
  }

  estimateCostUsd(request: GenerateRequest, _options: Pick<RouteOptions, 'provider' | 'model'>): number {
    this.estimates.push(request);
    return typeof this.#estimate === 'function' ? this.#estimate(request) : this.#estimate;
  }
}
