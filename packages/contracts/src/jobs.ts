import { type Static, Type } from 'typebox';
import { AnalyzeRequest } from './analyze.ts';

// The same item shape as POST /v1/analyze, without its `$id` (an id may be registered only once).
const { $id: _analyzeRequestId, ...JobItem } = AnalyzeRequest as typeof AnalyzeRequest & { $id?: string };
const Item = JobItem as typeof AnalyzeRequest;

export const JobPriority = Type.Union(
  [Type.Literal('high'), Type.Literal('default'), Type.Literal('batch')],
  {
    description: 'Queue of the job: `high` is taken first, `batch` last',
  },
);

export const JobStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('processing'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
]);

const JobWebhookUrl = Type.String({
  minLength: 8,
  maxLength: 2048,
  description:
    "Where this job's `job.*` events are POSTed, signed per Standard Webhooks with the `webhook_secret` " +
    'of the answer (shown once); the rules of /v1/webhooks apply to the address.',
  examples: ['https://hooks.example.com/jobs'],
});

/** `POST /v1/analyze/async?webhook_url=…`: the job's own webhook (the body is an analyze request). */
export const AsyncAnalyzeQuery = Type.Object({ webhook_url: Type.Optional(JobWebhookUrl) });

export const CreateJobRequest = Type.Object(
  {
    request: Type.Optional(Item),
    items: Type.Optional(Type.Array(Item, { minItems: 1, maxItems: 10_000 })),
    priority: Type.Optional(JobPriority),
    webhook_url: Type.Optional(JobWebhookUrl),
  },
  {
    additionalProperties: false,
    description: 'Exactly one of `request` (one analyze request) or `items` (up to 10,000 of them)',
    examples: [
      { items: [{ prompt: 'Translate Hello World to French' }, { prompt: 'Summarize the Q3 report' }] },
      { request: { prompt: 'Extract the invoice fields' }, priority: 'high' },
    ],
  },
);
export type CreateJobRequest = Static<typeof CreateJobRequest>;

export const JobProgress = Type.Object({
  total: Type.Integer(),
  pending: Type.Integer(),
  running: Type.Integer(),
  succeeded: Type.Integer(),
  failed: Type.Integer(),
  cancelled: Type.Integer(),
  percent: Type.Number({ minimum: 0, maximum: 100, description: 'Items finished, of all items' }),
});

export const Job = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal('single'), Type.Literal('batch')]),
  status: JobStatus,
  priority: JobPriority,
  progress: JobProgress,
  usage: Type.Object({ total_tokens: Type.Integer(), cost_usd: Type.Number() }),
  created_at: Type.String({ format: 'date-time' }),
  started_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  results_url: Type.String({ description: 'Where the per-item results are read, page by page' }),
  webhook_secret: Type.Optional(
    Type.String({ description: "Signs this job's webhook deliveries; in the submission's answer only." }),
  ),
});
export type Job = Static<typeof Job>;

export const JobList = Type.Object({
  items: Type.Array(Job),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const JobParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const JobResultsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9]+$' })),
});

const ItemProblem = Type.Object({
  code: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  retryable: Type.Boolean(),
});

export const JobItemResult = Type.Object({
  index: Type.Integer({ description: 'Position of the item in the submitted list' }),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
  ]),
  attempts: Type.Integer(),
  result: Type.Union([Type.Unknown(), Type.Null()], {
    description: 'The analyze response (as POST /v1/analyze answers it) once the item succeeded',
  }),
  error: Type.Union([ItemProblem, Type.Null()], { description: 'The last error of the item' }),
  usage: Type.Object({ total_tokens: Type.Integer(), cost_usd: Type.Number() }),
  latency_ms: Type.Union([Type.Integer(), Type.Null()]),
  cached: Type.Boolean(),
});

export const JobResults = Type.Object({
  job_id: Type.String(),
  status: JobStatus,
  items: Type.Array(JobItemResult),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const DeadLetter = Type.Object({
  id: Type.String(),
  job_id: Type.String(),
  index: Type.Integer(),
  api_key_id: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  error: ItemProblem,
  created_at: Type.String({ format: 'date-time' }),
  retried_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const DeadLetterList = Type.Object({
  items: Type.Array(DeadLetter),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

export const DeadLetterParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const DeadLetterRetry = Type.Object({
  id: Type.String(),
  job_id: Type.String(),
  index: Type.Integer(),
  status: Type.Literal('requeued'),
});
