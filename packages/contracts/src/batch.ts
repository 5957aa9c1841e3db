import { type Static, type TSchema, Type } from 'typebox';
import { AnalyzeRequest, AnalyzeResponse } from './analyze.ts';
import { Problem } from './problem.ts';

/**
 * A copy of a schema without its `$id` (an id may be registered only once) and without `default`
 * annotations. Request validation fills defaults in; in a batch that would make every item that sends
 * `options` carry `validation: "strict"` and hide the batch's shared `defaults.options.validation`.
 * The service applies the same defaults itself when a value is absent.
 */
function withoutIdsAndDefaults<T extends TSchema>(schema: T): T {
  const strip = (value: unknown, inProperties: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => strip(item, false));
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(value)) {
      // Under `properties` the names are field names, not keywords: a field may be called `default`.
      if (!inProperties && (name === 'default' || name === '$id')) continue;
      copy[name] = strip(member, name === 'properties' && !inProperties);
    }
    return copy;
  };
  return strip(schema, false) as T;
}

/**
 * One item of a batch: exactly what `POST /v1/analyze` accepts, so every analyze field (and any
 * added later) is a batch item field too.
 */
export const BatchItem = withoutIdsAndDefaults(AnalyzeRequest);
export type BatchItem = Static<typeof BatchItem>;

/** Values every item gets unless it sets its own: any analyze field but the prompt. */
export const BatchDefaults = withoutIdsAndDefaults(
  Type.Partial(Type.Omit(AnalyzeRequest, ['prompt']), {
    additionalProperties: false,
    description:
      'Shared settings merged under every item: a field the item sets wins; `options` are merged member by ' +
      'member (the item’s win); an item that names `provider` or `llm_provider` ignores both of the defaults’.',
  }),
);
export type BatchDefaults = Static<typeof BatchDefaults>;

export const BatchRequest = Type.Object(
  {
    defaults: Type.Optional(BatchDefaults),
    items: Type.Array(BatchItem, {
      minItems: 1,
      description:
        'The requests, at most `MAX_BATCH_ITEMS` (100 by default); a larger set is refused with 400 and ' +
        'belongs in an asynchronous job (`/v1/jobs`).',
    }),
  },
  {
    $id: 'BatchRequest',
    additionalProperties: false,
    description: 'Several analyze requests answered together, with shared defaults',
    examples: [
      {
        defaults: {
          schema: {
            type: 'object',
            required: ['sentiment'],
            properties: { sentiment: { enum: ['positive', 'neutral', 'negative'] } },
          },
          options: { validation: 'strict' },
        },
        items: [
          { prompt: 'The delivery was fast and the support friendly' },
          { prompt: 'The parcel arrived broken', options: { max_repair_attempts: 1 } },
          { prompt: 'Translate Hello World to French', schema: { type: 'object' } },
        ],
      },
    ],
  },
);
export type BatchRequest = Static<typeof BatchRequest>;

export const BatchItemResult = Type.Union(
  [withoutIdsAndDefaults(AnalyzeResponse), withoutIdsAndDefaults(Problem)],
  {
    description:
      'The item’s answer, shaped as `POST /v1/analyze` answers it, or the problem document that request ' +
      'would have got (it has `type`, `status` and `code`).',
  },
);
export type BatchItemResult = Static<typeof BatchItemResult>;

export const BatchSummary = Type.Object({
  total: Type.Integer({ minimum: 0, description: 'Items in the batch' }),
  succeeded: Type.Integer({ minimum: 0, description: 'Items answered with a result' }),
  failed: Type.Integer({ minimum: 0, description: 'Items answered with a problem document' }),
  cached: Type.Integer({ minimum: 0, description: 'Distinct items answered from the response cache' }),
  deduplicated: Type.Integer({
    minimum: 0,
    description: 'Items identical to an earlier item of the batch (same cache key): answered with its result',
  }),
  provider_calls: Type.Integer({
    minimum: 0,
    description: 'Model calls made for the batch, re-asks and failed calls included',
  }),
  tokens: Type.Integer({ minimum: 0, description: 'Tokens billed for the batch' }),
  cost_usd: Type.Number({ minimum: 0, description: 'What the batch cost' }),
  elapsed_ms: Type.Number({ minimum: 0 }),
});
export type BatchSummary = Static<typeof BatchSummary>;

export const BatchResponse = Type.Object(
  {
    request_id: Type.String(),
    results: Type.Array(BatchItemResult, { description: 'One result per item, in the order of the items' }),
    summary: BatchSummary,
  },
  {
    $id: 'BatchResponse',
    description: 'One result per item and what the batch did',
    examples: [
      {
        request_id: '01a2389f-5c11-7e3a-9b4d-2f6c1a8e0d47',
        results: [
          {
            request_id: '01a2389f-5c11-7e3a-9b4d-2f6c1a8e0d47:0',
            data: { sentiment: 'positive' },
            validation: { status: 'passed', errors: [], attempts: 1 },
            confidence: 0.92,
            language: 'en',
            provider: 'openai',
            model: 'gpt-4o-mini',
            cached: false,
            coalesced: false,
            failed_attempts: [],
            usage: { prompt_tokens: 96, completion_tokens: 8, total_tokens: 104, cost_usd: 0.0000192 },
            timing: { total_ms: 412.5, llm_ms: 398.1 },
            warnings: [],
          },
          {
            type: 'urn:structured-prompt:problem:budget_exceeded',
            title: 'Monthly budget exhausted',
            status: 402,
            detail:
              "This request's reservation of $0.0006 (its estimated cost) does not fit in the key's monthly " +
              'budget of $5: $4.9998 spent or reserved, $0.0002 left.',
            code: 'budget_exceeded',
            request_id: '01a2389f-5c11-7e3a-9b4d-2f6c1a8e0d47:1',
            instance: '/v1/analyze/batch',
          },
        ],
        summary: {
          total: 2,
          succeeded: 1,
          failed: 1,
          cached: 0,
          deduplicated: 0,
          provider_calls: 1,
          tokens: 104,
          cost_usd: 0.0000192,
          elapsed_ms: 415.2,
        },
      },
    ],
  },
);
export type BatchResponse = Static<typeof BatchResponse>;
