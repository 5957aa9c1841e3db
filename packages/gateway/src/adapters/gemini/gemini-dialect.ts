import type { Dialect } from '../ai-sdk/ai-sdk-provider.ts';
import { textOf } from '../ai-sdk/ai-sdk-provider.ts';

/**
 * Gemini JSON response: `responseMimeType: application/json` plus `responseSchema` (the AI SDK
 * converts our already-reduced schema to Google's OpenAPI subset).
 */
export const geminiDialect: Dialect = {
  target: 'gemini',
  callOptions(compiled) {
    return {
      responseFormat: compiled.schema ? { type: 'json', schema: compiled.schema } : { type: 'json' },
      providerOptions: { google: { structuredOutputs: compiled.schema !== undefined } },
    };
  },
  answer(result) {
    return { text: textOf(result) };
  },
};
