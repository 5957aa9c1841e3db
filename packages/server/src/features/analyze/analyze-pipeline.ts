import type { FieldError, ValidationMode, ValidationStatus } from '@structured-prompt/contracts';
import type {
  FailedAttempt,
  GenerateRequest,
  JsonSchema,
  JsonValue,
  ProviderGateway,
  RoutedGeneration,
} from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';
import { scoreConfidence } from './confidence.ts';
import { type LenientParseResult, lenientParse } from './lenient-parse.ts';
import { buildMetaPrompt, buildRepairMessages, type MetaPromptInput } from './meta-prompt.ts';
import { deriveRelaxedSchema, isRelaxable } from './relaxed-schema.ts';
import type { ValidatorCache } from './validator-cache.ts';

export interface AnalyzePipelineInput {
  /** Already normalized (and redacted when asked) by preprocessing. */
  prompt: string;
  /** ISO 639 code from preprocessing, when known. */
  language?: string;
  /** The resolved schema: the default one, or an inline one that passed the SchemaGuard. */
  schema: JsonSchema;
  schemaName: string;
  /** Provider name, `auto` or undefined for the router's choice. */
  provider?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  validation: ValidationMode;
  /** Re-asks allowed after the first attempt (0 = one attempt only). */
  maxRepairAttempts: number;
  confidenceThreshold?: number;
  maxCostUsd?: number;
  signal: AbortSignal;
}

export interface AnalyzePipelineDeps {
  gateway: ProviderGateway;
  validators: Pick<ValidatorCache, 'get'>;
  /**
   * Called after every model answer, before it is judged. Lets the caller account budget as money is
   * spent: when a later attempt throws (every provider down, deadline), the thrown error cannot carry
   * what the earlier attempts cost.
   */
  onAttempt?: (attempt: AttemptUsage) => void;
}

export interface AttemptUsage {
  /** 1 for the first call, 2 for the first re-ask, … */
  attempt: number;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** This attempt's cost, its failed provider calls included. */
  costUsd: number;
}

export interface PipelineUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Every attempt, including provider calls that failed before answering. */
  costUsd: number;
}

export interface AnalyzePipelineResult {
  data: JsonValue;
  validation: { status: ValidationStatus; errors: FieldError[]; attempts: number };
  confidence: number;
  /** Provider and model of the accepted answer. */
  provider: string;
  model: string;
  usage: PipelineUsage;
  llmMs: number;
  warnings: string[];
  failedAttempts: FailedAttempt[];
}

/** Longest raw answer quoted back to the client in a 422. */
const maxLastOutputChars = 20_000;

interface Attempt {
  generation: RoutedGeneration;
  parsed: LenientParseResult;
  errors: FieldError[];
}

/**
 * Prompt → schema-valid data, or an honest failure: build the meta-prompt, generate, parse leniently,
 * validate, and re-ask with the errors while attempts and `maxCostUsd` allow. Pure apart from the
 * gateway: no HTTP, no cache, no logging.
 */
export async function runAnalyzePipeline(
  input: AnalyzePipelineInput,
  deps: AnalyzePipelineDeps,
): Promise<AnalyzePipelineResult> {
  // Compiled before the first model call, so a schema Ajv rejects costs nothing.
  const validator = input.validation === 'off' ? undefined : deps.validators.get(input.schema);
  const metaInput: MetaPromptInput = {
    prompt: input.prompt,
    schema: input.schema,
    schemaName: input.schemaName,
    ...(input.language === undefined ? {} : { language: input.language }),
  };
  const metaPrompt = buildMetaPrompt(metaInput);
  const route = { provider: input.provider, model: input.model };
  const usage: PipelineUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 };
  const warnings = new Set<string>();
  const failedAttempts: FailedAttempt[] = [];
  let llmMs = 0;
  let request: GenerateRequest = {
    system: metaPrompt.system,
    messages: metaPrompt.messages,
    schema: input.schema,
    schemaName: input.schemaName,
    prompt: input.prompt,
    ...optional('language', input.language),
    ...optional('model', input.model),
    ...optional('temperature', input.temperature),
    ...optional('maxTokens', input.maxTokens),
  };

  let attempts = 0;
  let last: Attempt | undefined;
  for (;;) {
    attempts += 1;
    const generation = await deps.gateway.generate(request, { signal: input.signal, ...definedOnly(route) });
    const attemptCost = generation.costUsd + sumCost(generation.failedAttempts);
    usage.promptTokens += generation.usage.promptTokens;
    usage.completionTokens += generation.usage.completionTokens;
    usage.costUsd += attemptCost;
    deps.onAttempt?.({
      attempt: attempts,
      provider: generation.provider,
      model: generation.model,
      promptTokens: generation.usage.promptTokens,
      completionTokens: generation.usage.completionTokens,
      costUsd: attemptCost,
    });
    llmMs += generation.llmMs;
    failedAttempts.push(...generation.failedAttempts);
    for (const warning of generation.warnings) warnings.add(warning);

    const parsed = lenientParse(generation.text);
    const errors: FieldError[] = !parsed.ok
      ? [{ path: '', message: `the answer is not valid JSON: ${parsed.reason}`, keyword: 'parse' }]
      : validator === undefined
        ? []
        : validator.validate(parsed.value);
    const previous = last;
    last = { generation, parsed, errors };
    if (errors.length === 0) break;
    if (attempts > input.maxRepairAttempts) break;
    // A model (or the deterministic offline analyzer) that repeats its rejected answer word for word
    // after seeing the errors is stuck; another attempt would only cost money.
    if (
      previous !== undefined &&
      previous.generation.text === generation.text &&
      previous.generation.provider === generation.provider &&
      previous.generation.model === generation.model
    ) {
      warnings.add(
        `stopped re-asking after ${attempts} attempts: the model repeated the same invalid answer`,
      );
      break;
    }

    const next: GenerateRequest = {
      ...request,
      messages: buildRepairMessages(
        metaInput,
        generation.text,
        parsed.ok ? { errors } : { parseFailure: parsed.reason },
      ),
    };
    if (input.maxCostUsd !== undefined) {
      const estimate = deps.gateway.estimateCostUsd(next, definedOnly(route));
      if (usage.costUsd + estimate > input.maxCostUsd) {
        warnings.add(
          `stopped re-asking after ${attempts} attempt(s): the next one (estimated $${estimate.toFixed(6)}) ` +
            `would exceed max_cost_usd $${input.maxCostUsd}`,
        );
        break;
      }
    }
    request = next;
  }
  usage.totalTokens = usage.promptTokens + usage.completionTokens;
  usage.costUsd = roundUsd(usage.costUsd);
  if (input.maxCostUsd !== undefined && usage.costUsd > input.maxCostUsd) {
    warnings.add(`the cost $${usage.costUsd} exceeded max_cost_usd $${input.maxCostUsd}`);
  }
  if (last.generation.finishReason === 'length') {
    warnings.add('the answer was cut off at the token limit; consider a larger max_tokens');
  }

  const outcome = decideOutcome(input, last, deps.validators, warnings);
  if (outcome === undefined) {
    const detail =
      `The model's output did not validate against the schema after ${attempts} attempt(s)` +
      (input.validation === 'strict' ? '' : ` (validation: ${input.validation})`);
    throw new AppError('output_validation_failed', detail, {
      errors: last.errors,
      extensions: {
        last_output: last.generation.text.slice(0, maxLastOutputChars),
        attempts,
        usage: {
          prompt_tokens: usage.promptTokens,
          completion_tokens: usage.completionTokens,
          total_tokens: usage.totalTokens,
          cost_usd: usage.costUsd,
        },
        warnings: [...warnings],
      },
      context: { provider: last.generation.provider, model: last.generation.model, failedAttempts },
    });
  }

  const confidence = scoreConfidence({
    status: outcome.status,
    attempts,
    repairs: outcome.repairs,
    data: outcome.data,
    schema: input.schema,
    ...optional('tokenProbability', last.generation.tokenProbability),
    ...optional('confidenceCap', last.generation.confidenceCap),
  });
  if (input.confidenceThreshold !== undefined && confidence < input.confidenceThreshold) {
    warnings.add(
      `confidence ${confidence} is below the requested confidence_threshold ${input.confidenceThreshold}`,
    );
  }
  return {
    data: outcome.data,
    validation: { status: outcome.status, errors: outcome.errors, attempts },
    confidence,
    provider: last.generation.provider,
    model: last.generation.model,
    usage,
    llmMs,
    warnings: [...warnings],
    failedAttempts,
  };
}

interface Outcome {
  status: ValidationStatus;
  data: JsonValue;
  errors: FieldError[];
  repairs: string[];
}

/** Status of the last answer under the request's mode; undefined when the request must fail (422). */
function decideOutcome(
  input: AnalyzePipelineInput,
  last: Attempt,
  validators: Pick<ValidatorCache, 'get'>,
  warnings: Set<string>,
): Outcome | undefined {
  // Nothing parseable is a failure in every mode: there is no data to return.
  if (!last.parsed.ok) return undefined;
  const { value, repairs } = last.parsed;
  if (input.validation === 'off') return { status: 'skipped', data: value, errors: [], repairs };
  if (last.errors.length === 0) return { status: 'passed', data: value, errors: [], repairs };
  if (input.validation === 'strict') return undefined;

  if (
    isRelaxable(last.errors) &&
    validators.get(deriveRelaxedSchema(input.schema)).validate(value).length === 0
  ) {
    warnings.add(
      `validation passed only in relaxed mode: ${last.errors.length} missing or unexpected field(s) were tolerated ` +
        '(see validation.errors)',
    );
    return { status: 'passed_relaxed', data: value, errors: last.errors, repairs };
  }
  warnings.add(
    'the output does not conform to the schema, even relaxed; it is returned as is (see validation.errors)',
  );
  return { status: 'failed', data: value, errors: last.errors, repairs };
}

function sumCost(failed: readonly FailedAttempt[]): number {
  return failed.reduce((total, attempt) => total + attempt.costUsd, 0);
}

/** Micro-dollar float noise from summing attempt costs is not worth showing. */
function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** `{key: value}` when value is defined, `{}` otherwise (exactOptionalPropertyTypes-friendly). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function definedOnly(route: { provider: string | undefined; model: string | undefined }): {
  provider?: string;
  model?: string;
} {
  return { ...optional('provider', route.provider), ...optional('model', route.model) };
}
