import type { FieldError, SchemaUsed, TemplateUse, ValidationMode } from '@structured-prompt/contracts';
import type { JsonSchema, TextSink } from '@structured-prompt/gateway';
import type { ApiKeyRecord } from '../api-keys/api-keys.repository.ts';
import type { CacheKey } from '../cache/cache-key.ts';
import type { PromptRequest } from '../templates/template-expansion.ts';
import type { PreparedPrompt } from './preprocess/preprocess.ts';

/** Who asked: the authenticated key and the request's identity, for limits, audit and the log. */
export interface AnalyzeContext {
  key: ApiKeyRecord;
  requestId: string;
  ip: string;
  /** Set when the answer is streamed to the client as it is generated. */
  stream?: AnalyzeStream;
}

/** What a streamed request listens with, and how its client cancels it. */
export interface AnalyzeStream {
  /** Aborted when the client goes away: the provider call is cancelled. */
  signal: AbortSignal;
  /** The answer's text as the provider streams it. */
  sink: TextSink;
  /** A re-ask starts (`attempt` 2 is the first), because of these errors in the previous answer. */
  reask(attempt: number, errors: FieldError[]): void;
}

/** One request after screening and schema resolution: what the cache key and the generation read. */
export interface ResolvedRequest {
  /** The prompt in place: the request's own, or the one its template rendered (defaults applied). */
  body: PromptRequest;
  /** The template version that rendered the prompt, when the request named one. */
  template?: TemplateUse;
  /** Normalized, and redacted when the request asked for it. */
  prepared: PreparedPrompt;
  schema: JsonSchema;
  /** The schema's identity in the response and validator caches (its canonical JSON's SHA-256). */
  schemaHash: string;
  /** `default`, the inline schema's title as a slug, `inline`, or the registered schema's name. */
  schemaName: string;
  /** The registered schema version named by `schema_id`, when the request named one. */
  registered?: SchemaUsed;
  /** Undefined when the router chooses (`auto`). */
  provider: string | undefined;
  validation: ValidationMode;
}

/** A request screened and resolved, with its cache key: what a lookup, a generation and the response need. */
export interface PreparedAnalyze {
  request: ResolvedRequest;
  /** Flagged input and personal data found, listed first in the response's warnings. */
  warnings: string[];
  cacheKey: CacheKey;
}
