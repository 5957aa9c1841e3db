import { Type } from 'typebox';
import { AnalyzeRequest } from './analyze.ts';

const CounterSummary = {
  since: Type.String({ format: 'date-time' }),
  hits: Type.Integer(),
  misses: Type.Integer(),
  hit_rate: Type.Number({ minimum: 0, maximum: 1 }),
  coalesced: Type.Integer({
    description: 'Requests that waited for an identical in-flight request instead of calling a provider',
  }),
  bypassed: Type.Integer(),
  tokens_saved: Type.Integer(),
  usd_saved: Type.Number({ description: 'Sum of the cost of the answers served from the cache' }),
};

export const CacheStatsResponse = Type.Object({
  enabled: Type.Boolean(),
  degraded: Type.Boolean({ description: 'True while Redis (L2) is unreachable and only L1 answers' }),
  ...CounterSummary,
  levels: Type.Object({
    l1: Type.Object({ entries: Type.Integer(), bytes: Type.Integer() }),
    l2: Type.Object({
      status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('not_configured')]),
      entries: Type.Union([Type.Integer(), Type.Null()]),
      bytes: Type.Union([Type.Integer(), Type.Null()]),
    }),
  }),
  cluster: Type.Union([Type.Object(CounterSummary), Type.Null()], {
    description: 'The same counters summed over every replica sharing the Redis; null without Redis',
  }),
});

export const InvalidateQuery = Type.Object({
  pattern: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9_.@*?-]+$',
    description: 'Schema namespace or glob, e.g. `invoice_*`, `default`, `*`',
    examples: ['invoice_*'],
  }),
});

export const InvalidateResponse = Type.Object({
  pattern: Type.String(),
  removed: Type.Integer({ description: 'Entries removed (L1 of this replica plus Redis)' }),
  complete: Type.Boolean({ description: 'False when Redis was unreachable: entries there expire by TTL' }),
});

// The same item shape as POST /v1/analyze, without its `$id` (an id may be registered only once).
const { $id: _analyzeRequestId, ...WarmItem } = AnalyzeRequest as typeof AnalyzeRequest & { $id?: string };

export const WarmRequest = Type.Object(
  {
    items: Type.Array(WarmItem as typeof AnalyzeRequest, { minItems: 1, maxItems: 100 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        items: [
          { prompt: 'Translate Hello World to French' },
          { prompt: 'Summarize the Q3 report as a list' },
        ],
      },
    ],
  },
);

export const WarmReport = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('cancelled')]),
  total: Type.Integer(),
  warmed: Type.Integer(),
  already_cached: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(Type.Object({ index: Type.Integer(), message: Type.String() })),
  started_at: Type.String({ format: 'date-time' }),
  finished_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const WarmParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
