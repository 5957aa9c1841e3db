import type {
  GenerateOptions,
  GenerateRequest,
  GenerateResult,
  Provider,
  ProviderKind,
} from '../src/spec/provider.ts';
import { ProviderError, type ProviderFailureKind } from '../src/spec/provider-error.ts';

/** One scripted outcome: answer, fail with a kind, or run custom code (e.g. wait on a gate). */
export type ScriptStep =
  | { answer: string; promptTokens?: number; completionTokens?: number }
  | { fail: ProviderFailureKind; retryAfterMs?: number; statusCode?: number }
  | ((request: GenerateRequest, options: GenerateOptions) => Promise<GenerateResult>);

/**
 * In-process provider double for router unit tests: outcomes come from a script, then from the
 * default; every call is recorded with the model it was asked for.
 */
export class ScriptedProvider implements Provider {
  readonly name: string;
  readonly kind: ProviderKind;
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly calls: GenerateRequest[] = [];
  readonly #script: ScriptStep[];
  #default: ScriptStep;
  closed = false;

  constructor(
    name: string,
    options: { kind?: ProviderKind; models?: string[]; script?: ScriptStep[]; default?: ScriptStep } = {},
  ) {
    this.name = name;
    this.kind = options.kind ?? 'openai';
    this.models = options.models ?? [`${name}-model`];
    this.defaultModel = this.models[0]!;
    this.#script = [...(options.script ?? [])];
    this.#default = options.default ?? { answer: `{"from":"${name}"}` };
  }

  enqueue(...steps: ScriptStep[]): this {
    this.#script.push(...steps);
    return this;
  }

  setDefault(step: ScriptStep): void {
    this.#default = step;
  }

  async generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult> {
    this.calls.push(request);
    const step = this.#script.shift() ?? this.#default;
    if (typeof step === 'function') return step(request, options);
    if ('fail' in step) {
      throw new ProviderError(this.name, step.fail, `scripted ${step.fail}`, {
        ...(step.retryAfterMs === undefined ? {} : { retryAfterMs: step.retryAfterMs }),
        ...(step.statusCode === undefined ? {} : { statusCode: step.statusCode }),
      });
    }
    return {
      text: step.answer,
      model: request.model ?? this.defaultModel,
      usage: { promptTokens: step.promptTokens ?? 1000, completionTokens: step.completionTokens ?? 1000 },
      finishReason: 'stop',
      warnings: [],
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
