export { type ClientOptions, StructuredPromptClient } from './client.ts';
export {
  AbortedError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  BudgetExceededError,
  ConflictError,
  ConnectionError,
  errorFromProblem,
  NotFoundError,
  PayloadTooLargeError,
  PermissionDeniedError,
  type ProblemDocument,
  RateLimitedError,
  ServerError,
  StructuredPromptError,
  TimeoutError,
  UnprocessableError,
  ValidationFailedError,
} from './errors.ts';
export { type Page, PagedList, type PageOptions } from './pagination.ts';
export type { ApiKeys, Cache, Health, Webhooks } from './resources/admin.ts';
export type { AnalyzeInput, AnalyzeResult, SubmitOptions } from './resources/analyze.ts';
export type { AnalyzeStreamEvent, DeepPartial } from './resources/analyze-stream.ts';
export { finishedJobStatuses, type Jobs, type WaitOptions } from './resources/jobs.ts';
export type { Requests, Usage } from './resources/requests.ts';
export type { Schemas } from './resources/schemas.ts';
export type { Templates } from './resources/templates.ts';
export type { RetryPolicy } from './retry.ts';
export type { CallOptions, Query, RequestSpec, Transport } from './transport.ts';
export type { DataOf, SchemaLike, StandardJsonSchema } from './typed-schema.ts';
export type * from './types.ts';
export { type VerifyWebhookOptions, verifyWebhook, WebhookVerificationError } from './verify-webhook.ts';
