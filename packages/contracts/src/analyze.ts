import { type Static, Type } from 'typebox';
import { FieldError } from './problem.ts';
import {
  analyzeRequestExamples,
  answerWithSchemaExample,
  heuristicAnswerExample,
} from './schema-examples.ts';
import { SchemaUsed, schemaRefPattern } from './schemas.ts';
import { TemplateUse } from './templates.ts';

/** How strictly the model's output is held to the schema (docs/analyze.md, "Validation modes"). */
export const ValidationMode = Type.Union(
  [Type.Literal('strict'), Type.Literal('relaxed'), Type.Literal('off')],
  {
    description:
      '`strict`: the output must validate or the request fails with 422. `relaxed`: after all re-asks, ' +
      'missing required fields and extra properties are tolerated (`passed_relaxed`). `off`: the output is ' +
      'parsed but not validated.',
    default: 'strict',
  },
);
export type ValidationMode = Static<typeof ValidationMode>;

export const PiiMode = Type.Union([Type.Literal('off'), Type.Literal('detect'), Type.Literal('redact')], {
  description:
    '`detect` reports personal data found in the prompt as warnings; `redact` replaces it with ' +
    'placeholders before the prompt leaves the service.',
  default: 'off',
});
export type PiiMode = Static<typeof PiiMode>;

export const AnalyzeOptions = Type.Object(
  {
    bypass_cache: Type.Optional(
      Type.Boolean({
        description: 'Skip the cache lookup (the fresh answer is still stored)',
        default: false,
      }),
    ),
    cache_ttl: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2_592_000,
        description: 'Seconds to keep the answer; 0 = do not store',
      }),
    ),
    validation: Type.Optional(ValidationMode),
    max_repair_attempts: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10,
        description: 'Re-asks allowed after an invalid answer (server default 2)',
      }),
    ),
    confidence_threshold: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Answers scoring below this carry a warning' }),
    ),
    max_cost_usd: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'No re-ask is made when its estimated cost would push the total over this amount',
      }),
    ),
    language: Type.Optional(
      Type.String({
        pattern: '^(auto|[a-z]{2,3}(-[A-Za-z0-9]{2,8})*)$',
        description: '`auto` (detect) or the ISO 639 code of the prompt language',
        default: 'auto',
        examples: ['auto', 'fr'],
      }),
    ),
    pii: Type.Optional(PiiMode),
  },
  { additionalProperties: false },
);
export type AnalyzeOptions = Static<typeof AnalyzeOptions>;

export const AnalyzeRequest = Type.Object(
  {
    prompt: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 10_000,
        description:
          'The natural-language request to turn into structured JSON. Required unless `template_id` is given',
        examples: ['Translate Hello World to French'],
      }),
    ),
    template_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 160,
        description:
          'A prompt template (id or name, optionally `@version`) rendered with `parameters` instead of `prompt`',
        examples: ['invoice-extraction', 'invoice-extraction@1.0.0'],
      }),
    ),
    parameters: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "The template's parameters, validated against its declaration",
      }),
    ),
    schema: Type.Optional(
      Type.Union([Type.Object({}, { additionalProperties: true }), Type.Boolean()], {
        description:
          'Inline JSON Schema the output must satisfy: draft-04, draft-06, draft-07, 2019-09 or 2020-12 by ' +
          '`$schema` (absent: inferred, see docs/analyze.md), or a boolean schema. At most 50 KB and 10 levels ' +
          'deep by default (both configurable); only references inside the schema. Omit for the default ' +
          'prompt-analysis schema.',
      }),
    ),
    schema_id: Type.Optional(
      Type.String({
        pattern: schemaRefPattern,
        description:
          'A registered schema instead of an inline `schema`: its id or name, optionally pinned with ' +
          '`@version` (default: the latest version). Unknown or invisible to the key: 404. Not together ' +
          'with `schema`.',
        examples: ['invoice-extraction', 'invoice-extraction@1.0.0'],
      }),
    ),
    provider: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Provider name from the configuration, or `auto` (default) to let the router choose',
        examples: ['auto', 'openai', 'heuristic'],
      }),
    ),
    llm_provider: Type.Optional(
      Type.String({ minLength: 1, description: 'Alias of `provider`; `provider` wins when both are given' }),
    ),
    cache_ttl: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2_592_000,
        description: 'Alias of `options.cache_ttl`; `options.cache_ttl` wins when both are given',
      }),
    ),
    model: Type.Optional(
      Type.String({ minLength: 1, description: "Model to use; the provider's default otherwise" }),
    ),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    max_tokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 200_000 })),
    options: Type.Optional(AnalyzeOptions),
  },
  {
    $id: 'AnalyzeRequest',
    additionalProperties: false,
    description: 'A prompt to analyze, optionally with the JSON Schema the answer must satisfy',
    examples: analyzeRequestExamples,
  },
);
export type AnalyzeRequest = Static<typeof AnalyzeRequest>;

/** The request with its top-level `cache_ttl` alias moved into `options` (where `options.cache_ttl` wins). */
export function withOptionAliases(request: AnalyzeRequest): AnalyzeRequest {
  const { cache_ttl: cacheTtl, ...rest } = request;
  if (cacheTtl === undefined) return request;
  return { ...rest, options: { cache_ttl: cacheTtl, ...request.options } };
}

/** The provider a request asked for: `provider`, else its alias `llm_provider`, else `auto`. */
export function requestedProvider(request: Pick<AnalyzeRequest, 'provider' | 'llm_provider'>): string {
  return request.provider ?? request.llm_provider ?? 'auto';
}

export const ValidationStatus = Type.Union(
  [Type.Literal('passed'), Type.Literal('passed_relaxed'), Type.Literal('failed'), Type.Literal('skipped')],
  {
    description:
      '`passed`: valid against the schema. `passed_relaxed`: valid only once required fields and extra ' +
      'properties were tolerated (`errors` lists what was waived). `failed`: relaxed mode, still invalid. ' +
      '`skipped`: validation off.',
  },
);
export type ValidationStatus = Static<typeof ValidationStatus>;

export const AnalyzeUsage = Type.Object({
  prompt_tokens: Type.Integer({ minimum: 0, description: 'Summed over every attempt, re-asks included' }),
  completion_tokens: Type.Integer({ minimum: 0 }),
  total_tokens: Type.Integer({ minimum: 0 }),
  cost_usd: Type.Number({ minimum: 0, description: 'Every attempt, failed provider calls included' }),
});
export type AnalyzeUsage = Static<typeof AnalyzeUsage>;

/** One provider call that failed, as every answer and problem document of the service names it. */
export const ProviderFailure = Type.Object({
  provider: Type.String(),
  model: Type.String(),
  reason: Type.String({
    description: 'timeout, rate_limited, server_error, connection, malformed_response, …',
  }),
});
export type ProviderFailure = Static<typeof ProviderFailure>;

/** The public account of a failed provider call (its message and cost stay in the logs). */
export function toProviderFailure(attempt: {
  provider: string;
  model: string;
  kind: string;
}): ProviderFailure {
  return { provider: attempt.provider, model: attempt.model, reason: attempt.kind };
}

export const AnalyzeResponse = Type.Object(
  {
    request_id: Type.String(),
    data: Type.Unknown({ description: 'The structured answer' }),
    validation: Type.Object({
      status: ValidationStatus,
      errors: Type.Array(FieldError),
      attempts: Type.Integer({
        minimum: 0,
        description:
          'Model calls made for this answer, the first one included (0 when answered from the cache)',
      }),
    }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    language: Type.String({ description: 'ISO 639 code of the prompt language' }),
    provider: Type.String({ description: 'Provider that produced the answer' }),
    model: Type.String(),
    cached: Type.Boolean({ description: 'The answer came from the response cache; no provider was called' }),
    coalesced: Type.Boolean({
      description:
        'The answer was shared with an identical request already in flight on this replica: this request ' +
        'waited for its provider calls instead of making its own, so its usage is zero',
    }),
    failed_attempts: Type.Array(ProviderFailure, {
      description: 'Provider calls that failed before the answer (retries and fallbacks), in order',
    }),
    usage: AnalyzeUsage,
    timing: Type.Object({
      total_ms: Type.Number({ minimum: 0 }),
      llm_ms: Type.Number({ minimum: 0, description: 'Time spent waiting for providers' }),
    }),
    warnings: Type.Array(Type.String()),
    /** Present when the request named a registered schema (`schema_id`). */
    schema_used: Type.Optional(SchemaUsed),
    /** The template version that produced the prompt, when one did. */
    template: Type.Optional(TemplateUse),
  },
  {
    $id: 'AnalyzeResponse',
    description: 'A structured answer and an honest account of how it was obtained',
    examples: [heuristicAnswerExample, answerWithSchemaExample],
  },
);
export type AnalyzeResponse = Static<typeof AnalyzeResponse>;

/** The 422 problem document of strict validation that still fails after every attempt. */
export const OutputValidationProblem = Type.Object(
  {
    type: Type.String({ examples: ['urn:structured-prompt:problem:output_validation_failed'] }),
    title: Type.String(),
    status: Type.Literal(422),
    detail: Type.String(),
    code: Type.Literal('output_validation_failed'),
    request_id: Type.String(),
    errors: Type.Array(FieldError, { description: 'Validation errors of the last answer, by JSON Pointer' }),
    last_output: Type.String({ description: "The model's last raw answer (truncated to 20,000 characters)" }),
    attempts: Type.Integer({ minimum: 1 }),
    usage: AnalyzeUsage,
    warnings: Type.Optional(Type.Array(Type.String())),
  },
  { $id: 'OutputValidationProblem', additionalProperties: true },
);
export type OutputValidationProblem = Static<typeof OutputValidationProblem>;

/** The 502 / 504 problem document when every provider failed or the deadline passed first. */
export const ProviderFailureProblem = Type.Object(
  {
    type: Type.String({ examples: ['urn:structured-prompt:problem:provider_error'] }),
    title: Type.String(),
    status: Type.Union([Type.Literal(502), Type.Literal(504)]),
    detail: Type.String(),
    code: Type.Union([Type.Literal('provider_error'), Type.Literal('provider_timeout')]),
    request_id: Type.String(),
    failed_attempts: Type.Array(ProviderFailure, {
      description: 'Every provider call that was tried, in order',
    }),
  },
  { $id: 'ProviderFailureProblem', additionalProperties: true },
);
export type ProviderFailureProblem = Static<typeof ProviderFailureProblem>;
