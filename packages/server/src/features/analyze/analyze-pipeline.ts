import type { FieldError, ValidationMode, ValidationStatus } from '@structured-prompt/contracts';
import type { FailedAttempt, JsonSchema, JsonValue, ProviderGateway } from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';
import type { AnalyzeStream } from './analyze-context.ts';
import { scoreConfidence } from './confidence.ts';
import { type Attempt, attemptUntilSettled, optional, type Tally } from './pipeline-attempts.ts';
import { decideOutcome, type Outcome } from './pipeline-outcome.ts';
import { requestWarnings } from './request-warnings.ts';
import type { ValidatorCache } from './validator-cache.ts';

export interface AnalyzePipelineInput {
  /** Already normalized (and redacted when asked) by preprocessing. */
  prompt: string;
  /** ISO 639 code from preprocessing, when known. */
  language?: string;
  /** The resolved schema: the default one, or an inline one that passed the SchemaGuard. */
  schema: JsonSchema;
  /** The schema's `schemaHash`, computed once per request (once per process for the default schema). */
  schemaHash: string;
  schemaName: string;
  /** Provider name, `auto` or undefined for the router's choice. */
  provider?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  validation: ValidationMode;
  /** Re-asks allowed after the first attempt (0 = one attempt only). */
  maxRepairAttempts: number;
  maxCostUsd?: number;
  signal: AbortSignal;
  /** Streams each call's text, and hears of re-asks, when the client streams the answer. */
  stream?: Pick<AnalyzeStream, 'sink' | 'reask'>;
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
  /**
   * Called before every model call with its estimated cost (`attempt` 1 is the first call): reserves
   * it against the key's budget. False stops re-asking; refusing the first call throws.
   */
  reserveAttempt?: (estimateUsd: number, attempt: number) => Promise<boolean>;
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
  const validator =
    input.validation === 'off' ? undefined : deps.validators.get(input.schema, input.schemaHash);
  const tally: Tally = {
    attempts: 0,
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0 },
    llmMs: 0,
    warnings: new Set<string>(),
    failedAttempts: [],
  };
  const last = await attemptUntilSettled(input, deps, validator, tally);
  closeTally(tally, last);
  const outcome = decideOutcome(input, last, deps.validators, tally.warnings);
  if (outcome === undefined) throw validationFailure(input, last, tally);
  return acceptedResult(input, last, outcome, tally);
}

/** Totals, rounding, and the warning about the answer as a whole: cut off at the token limit. */
function closeTally(tally: Tally, last: Attempt): void {
  const { usage, warnings } = tally;
  usage.totalTokens = usage.promptTokens + usage.completionTokens;
  usage.costUsd = roundUsd(usage.costUsd);
  if (last.generation.finishReason === 'length') {
    warnings.add('the answer was cut off at the token limit; consider a larger max_tokens');
  }
}

/** The 422: the errors, the last raw output and what every attempt cost. */
function validationFailure(input: AnalyzePipelineInput, last: Attempt, tally: Tally): AppError {
  const { usage, attempts } = tally;
  const detail =
    `The model's output did not validate against the schema after ${attempts} attempt(s)` +
    (input.validation === 'strict' ? '' : ` (validation: ${input.validation})`);
  return new AppError('output_validation_failed', detail, {
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
      // A 422 is never cached: this request's own warnings can join the attempts' ones.
      warnings: [...tally.warnings, ...requestWarnings(usage, input)],
    },
    context: {
      provider: last.generation.provider,
      model: last.generation.model,
      failedAttempts: tally.failedAttempts,
    },
  });
}

function acceptedResult(
  input: AnalyzePipelineInput,
  last: Attempt,
  outcome: Outcome,
  tally: Tally,
): AnalyzePipelineResult {
  const confidence = scoreConfidence({
    status: outcome.status,
    attempts: tally.attempts,
    repairs: outcome.repairs,
    coercions: outcome.coercions,
    data: outcome.data,
    schema: input.schema,
    ...optional('tokenProbability', last.generation.tokenProbability),
    ...optional('confidenceCap', last.generation.confidenceCap),
  });
  return {
    data: outcome.data,
    validation: { status: outcome.status, errors: outcome.errors, attempts: tally.attempts },
    confidence,
    provider: last.generation.provider,
    model: last.generation.model,
    usage: tally.usage,
    llmMs: tally.llmMs,
    warnings: [...tally.warnings],
    failedAttempts: tally.failedAttempts,
  };
}

/** Micro-dollar float noise from summing attempt costs is not worth showing. */
function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}
