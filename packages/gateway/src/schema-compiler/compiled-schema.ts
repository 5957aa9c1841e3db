import type { SchemaNode } from './schema-walk.ts';

export type SchemaTarget = 'openai' | 'anthropic' | 'gemini' | 'local';

/**
 * How one canonical schema is sent to one target.
 * - `strict-json-schema`: OpenAI structured outputs (`response_format: json_schema, strict: true`).
 * - `json-mode`: the target only promises JSON; the schema travels in the instructions instead.
 * - `tool`: Anthropic forced tool use with the schema as the tool's input schema.
 * - `response-schema`: Gemini `responseSchema` (an OpenAPI subset).
 * - `grammar`: llama.cpp JSON-schema grammar with lengths and sizes capped.
 */
type CompileMode = 'strict-json-schema' | 'json-mode' | 'tool' | 'response-schema' | 'grammar';

export interface CompiledSchema {
  target: SchemaTarget;
  mode: CompileMode;
  /** What is sent to the target; undefined in JSON mode. */
  schema: SchemaNode | undefined;
  /**
   * Set when the target needs an object at the top level and the canonical schema is not one: the
   * answer comes back wrapped in this property and the adapter unwraps it.
   */
  wrappedIn?: string;
  /** Constraints the target cannot express: they stay for post-validation and are reported. */
  warnings: string[];
  /**
   * Strict OpenAI only: JSON Pointers (into `schema`) of the optional properties sent as required +
   * nullable, whose nulls must be stripped from the answer again (`stripAddedNulls`). Absent when the
   * compiler added no null.
   */
  addedNulls?: string[];
}

/** Collects warnings once each, in order, prefixed with the target. */
export class WarningList {
  readonly #target: SchemaTarget;
  readonly #seen = new Set<string>();
  readonly items: string[] = [];

  constructor(target: SchemaTarget) {
    this.#target = target;
  }

  dropped(path: string, keyword: string): void {
    this.add(`${path || '/'}: "${keyword}" is not enforced by ${this.#target}; checked after generation`);
  }

  add(message: string): void {
    const line = `${this.#target}: ${message}`;
    if (this.#seen.has(line)) return;
    this.#seen.add(line);
    this.items.push(line);
  }
}

/** Keywords that only annotate a schema; targets may drop them without changing what validates. */
export const annotationKeywords = new Set([
  '$schema',
  '$id',
  '$comment',
  '$anchor',
  'title',
  'examples',
  'default',
  'readOnly',
  'writeOnly',
  'deprecated',
]);
