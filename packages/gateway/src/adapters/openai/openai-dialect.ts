import { stripAddedNulls } from '../../schema-compiler/index.ts';
import type { Dialect } from '../ai-sdk/ai-sdk-provider.ts';
import { textOf } from '../ai-sdk/ai-sdk-provider.ts';
import { safeName } from '../ai-sdk/convert-request.ts';

/**
 * OpenAI chat completions, shared with OpenAI-compatible servers: strict `json_schema` when the
 * schema compiles to the strict subset, `json_object` otherwise. `providerOptionsKey` is the
 * AI SDK provider's options namespace (`openai`, or the compatible provider's name).
 */
export function openAiDialect(options: {
  providerOptionsKey: string;
  logprobs: boolean;
  structuredOutputs: boolean;
}): Dialect {
  return {
    target: 'openai',
    usesJsonMode: (compiled) => !options.structuredOutputs || compiled.mode !== 'strict-json-schema',
    callOptions(compiled, request) {
      const strict = options.structuredOutputs && compiled.mode === 'strict-json-schema' && compiled.schema;
      const responseFormat = strict
        ? ({ type: 'json', schema: compiled.schema!, name: safeName(request.schemaName) } as const)
        : ({ type: 'json' } as const);
      // Strict is the SDK's default for both packages (the wire tests check `strict: true` is sent).
      // Provider options are validated with zod on every call, so they are sent only when they add
      // something: logprobs for OpenAI. That validation was ~5% of a cache miss.
      if (!options.logprobs) return { responseFormat };
      return {
        responseFormat,
        providerOptions: { [options.providerOptionsKey]: { strictJsonSchema: true, logprobs: true } },
      };
    },
    answer(result, compiled) {
      const raw = textOf(result);
      // Nulls the compiler added to optional properties are removed again, and only those.
      const text = compiled.addedNulls ? stripAddedNulls(raw, compiled) : raw;
      const probability = meanTokenProbability(
        result.providerMetadata?.[options.providerOptionsKey]?.logprobs,
      );
      return probability === undefined ? { text } : { text, tokenProbability: probability };
    },
  };
}

/** Mean of exp(logprob) over the answer's tokens, as OpenAI reports them with `logprobs: true`. */
function meanTokenProbability(logprobs: unknown): number | undefined {
  if (!Array.isArray(logprobs) || logprobs.length === 0) return undefined;
  let sum = 0;
  let count = 0;
  for (const entry of logprobs) {
    const value = (entry as { logprob?: unknown } | null)?.logprob;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    sum += Math.exp(value);
    count += 1;
  }
  return count === 0 ? undefined : sum / count;
}
