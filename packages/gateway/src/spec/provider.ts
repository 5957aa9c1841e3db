import type { JsonSchema } from './json-schema.ts';

/** One turn of the conversation sent to a model. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** What the pipeline asks a provider for: an answer to `messages` that satisfies `schema`. */
export interface GenerateRequest {
  /** System instructions (the rendered meta-prompt). */
  system: string;
  /** The conversation so far: the user's prompt, and on re-asks the previous answer and its errors. */
  messages: ChatMessage[];
  /** The canonical JSON Schema the answer must satisfy; each adapter compiles it for its target. */
  schema: JsonSchema;
  /** Short identifier of the schema (`default`, a registry name, or `inline`), used as tool/format name. */
  schemaName: string;
  /** The user's normalized prompt on its own; the offline analyzer reads this instead of the messages. */
  prompt: string;
  /** ISO 639-1 code of the prompt's language when known. */
  language?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'error' | 'other';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What a provider answered. The pipeline parses and validates it; the provider does not. */
export interface GenerateResult {
  /** Raw text of the answer (JSON text, possibly with fences or prose around it). */
  text: string;
  /** Model that actually answered. */
  model: string;
  usage: TokenUsage;
  finishReason: FinishReason;
  /** Mean per-token probability (0–1) when the provider supplies log-probabilities. */
  tokenProbability?: number;
  /** Upper bound for the confidence score of answers from this provider (the offline analyzer caps it). */
  confidenceCap?: number;
  /** Constraints the target could not express, properties the analyzer could not fill, etc. */
  warnings: string[];
}

/** Receives an answer's text while the provider streams it. */
export interface TextSink {
  /** A provider call starts (the first, a retry or a fallback): text received before it is void. */
  start(): void;
  /** Awaited before more is read from the provider, so a slow consumer slows the read. */
  text(delta: string): void | Promise<void>;
}

export interface GenerateOptions {
  /** Aborted on the per-provider timeout or the request's overall deadline. */
  signal: AbortSignal;
  /**
   * When given, providers that can stream do, handing the text to the sink as it arrives; the
   * result is the same as without it. Providers that cannot stream ignore it.
   */
  sink?: TextSink;
}

export type ProviderKind = 'openai' | 'anthropic' | 'gemini' | 'openai-compatible' | 'local' | 'heuristic';

/**
 * The small interface every provider implements. Adapters convert the request, call the vendor and
 * map its answer; retries, fallback and circuit breaking live in the router, not here.
 */
export interface Provider {
  /** Unique name in the configuration, e.g. `openai`, `groq`, `heuristic`. */
  readonly name: string;
  readonly kind: ProviderKind;
  readonly defaultModel: string;
  /** Models this provider is configured to serve. */
  readonly models: readonly string[];
  generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerateResult>;
  /** Releases sockets, model memory and the like. */
  close?(): Promise<void>;
}
