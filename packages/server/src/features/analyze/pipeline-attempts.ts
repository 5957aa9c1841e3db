import type { FieldError } from '@structured-prompt/contracts';
import type {
  FailedAttempt,
  GenerateRequest,
  JsonSchema,
  RoutedGeneration,
} from '@structured-prompt/gateway';
import type { AnalyzePipelineDeps, AnalyzePipelineInput, PipelineUsage } from './analyze-pipeline.ts';
import { type LenientParseResult, lenientParse } from './lenient-parse.ts';
import {
  buildMetaPrompt,
  buildRepairMessages,
  type MetaPrompt,
  type MetaPromptInput,
} from './meta-prompt.ts';
import type { CompiledValidator } from './validator-cache.ts';

/** One model answer, parsed leniently, with what is wrong with it (empty when it validates). */
export interface Attempt {
  generation: RoutedGeneration;
  parsed: LenientParseResult;
  errors: FieldError[];
}

/** What the attempts of one request add up to. */
export interface Tally {
  attempts: number;
  usage: PipelineUsage;
  llmMs: number;
  warnings: Set<string>;
  failedAttempts: FailedAttempt[];
}

/**
 * Generates, then re-asks with what was wrong, until an answer validates or a reason to stop comes
 * up: no attempts left, the model repeating its rejected answer, or the cost cap. Returns the last.
 */
export async function attemptUntilSettled(
  input: AnalyzePipelineInput,
  deps: AnalyzePipelineDeps,
  validator: CompiledValidator | undefined,
  tally: Tally,
): Promise<Attempt> {
  const metaInput: MetaPromptInput = {
    prompt: input.prompt,
    schema: input.schema,
    schemaName: input.schemaName,
    ...optional('language', input.language),
  };
  const route = {
    ...definedOnly({ provider: input.provider, model: input.model }),
    ...optional('sink', input.stream?.sink),
  };
  let request = firstRequest(input, buildMetaPrompt(metaInput));
  await deps.reserveAttempt?.(deps.gateway.estimateCostUsd(request, route), 1);
  let previous: Attempt | undefined;
  for (;;) {
    const generation = await deps.gateway.generate(request, { signal: input.signal, ...route });
    count(tally, generation, deps.onAttempt);
    const attempt = judge(generation, input.schema, validator);
    if (attempt.errors.length === 0 || tally.attempts > input.maxRepairAttempts) return attempt;
    if (previous !== undefined && repeats(previous, attempt)) {
      tally.warnings.add(
        `stopped re-asking after ${tally.attempts} attempts: the model repeated the same invalid answer`,
      );
      return attempt;
    }
    const { parsed } = attempt;
    const next: GenerateRequest = {
      ...request,
      messages: buildRepairMessages(
        metaInput,
        generation.text,
        parsed.ok ? { errors: attempt.errors } : { parseFailure: parsed.reason },
      ),
    };
    if (overCostCap(input, deps, next, route, tally)) return attempt;
    if (!(await budgetAllows(deps, next, route, tally))) return attempt;
    input.stream?.reask(tally.attempts + 1, attempt.errors);
    previous = attempt;
    request = next;
  }
}

function firstRequest(input: AnalyzePipelineInput, metaPrompt: MetaPrompt): GenerateRequest {
  return {
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
}

/** Adds one generation's usage, time, failed provider calls and warnings, and reports its cost. */
function count(
  tally: Tally,
  generation: RoutedGeneration,
  onAttempt: AnalyzePipelineDeps['onAttempt'],
): void {
  tally.attempts += 1;
  const costUsd = generation.costUsd + sumCost(generation.failedAttempts);
  tally.usage.promptTokens += generation.usage.promptTokens;
  tally.usage.completionTokens += generation.usage.completionTokens;
  tally.usage.costUsd += costUsd;
  onAttempt?.({
    attempt: tally.attempts,
    provider: generation.provider,
    model: generation.model,
    promptTokens: generation.usage.promptTokens,
    completionTokens: generation.usage.completionTokens,
    costUsd,
  });
  tally.llmMs += generation.llmMs;
  tally.failedAttempts.push(...generation.failedAttempts);
  for (const warning of generation.warnings) tally.warnings.add(warning);
}

/**
 * The answer parsed leniently against the schema (which picks among several values and coerces
 * mismatched scalars when that makes it validate), with its errors, or one for text that is not JSON.
 */
function judge(
  generation: RoutedGeneration,
  schema: JsonSchema,
  validator: CompiledValidator | undefined,
): Attempt {
  const check =
    validator === undefined ? undefined : { schema, validate: (value: unknown) => validator.validate(value) };
  const parsed = lenientParse(generation.text, check);
  const errors: FieldError[] = parsed.ok
    ? parsed.errors
    : [{ path: '', message: `the answer is not valid JSON: ${parsed.reason}`, keyword: 'parse' }];
  return { generation, parsed, errors };
}

/**
 * A model (or the deterministic offline analyzer) that repeats its rejected answer word for word
 * after seeing the errors is stuck; another attempt would only cost money.
 */
function repeats(previous: Attempt, attempt: Attempt): boolean {
  return (
    previous.generation.text === attempt.generation.text &&
    previous.generation.provider === attempt.generation.provider &&
    previous.generation.model === attempt.generation.model
  );
}

/** True, with a warning, when the next re-ask's estimate would take the cost past `maxCostUsd`. */
function overCostCap(
  input: AnalyzePipelineInput,
  deps: AnalyzePipelineDeps,
  next: GenerateRequest,
  route: { provider?: string; model?: string },
  tally: Tally,
): boolean {
  if (input.maxCostUsd === undefined) return false;
  const estimate = deps.gateway.estimateCostUsd(next, route);
  if (tally.usage.costUsd + estimate <= input.maxCostUsd) return false;
  tally.warnings.add(
    `stopped re-asking after ${tally.attempts} attempt(s): the next one (estimated $${estimate.toFixed(6)}) ` +
      `would exceed max_cost_usd $${input.maxCostUsd}`,
  );
  return true;
}

/** Reserves the next re-ask's estimate; false, with a warning, when the key's budget has no room. */
async function budgetAllows(
  deps: AnalyzePipelineDeps,
  next: GenerateRequest,
  route: { provider?: string; model?: string },
  tally: Tally,
): Promise<boolean> {
  if (!deps.reserveAttempt) return true;
  const estimate = deps.gateway.estimateCostUsd(next, route);
  if (await deps.reserveAttempt(estimate, tally.attempts + 1)) return true;
  tally.warnings.add(
    `stopped re-asking after ${tally.attempts} attempt(s): the key's monthly budget has no room for ` +
      `another (estimated $${estimate.toFixed(6)})`,
  );
  return false;
}

function sumCost(failed: readonly FailedAttempt[]): number {
  return failed.reduce((total, attempt) => total + attempt.costUsd, 0);
}

/** `{key: value}` when value is defined, `{}` otherwise (exactOptionalPropertyTypes-friendly). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function definedOnly(route: { provider: string | undefined; model: string | undefined }): {
  provider?: string;
  model?: string;
} {
  return { ...optional('provider', route.provider), ...optional('model', route.model) };
}
