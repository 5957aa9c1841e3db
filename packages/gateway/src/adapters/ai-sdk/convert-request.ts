import type {
  LanguageModelV3FinishReason,
  LanguageModelV3Prompt,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { JsonSchema } from '../../spec/json-schema.ts';
import type { FinishReason, GenerateRequest, TokenUsage } from '../../spec/provider.ts';

/** Our request as the AI SDK's provider-level prompt: one system message, then the turns. */
export function toPrompt(request: GenerateRequest, system: string): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [];
  if (system.length > 0) prompt.push({ role: 'system', content: system });
  for (const message of request.messages) {
    prompt.push({ role: message.role, content: [{ type: 'text', text: message.content }] });
  }
  return prompt;
}

/**
 * JSON mode promises JSON but not its shape, so the schema goes into the instructions; OpenAI also
 * requires the word "JSON" in the messages before it accepts `json_object`.
 */
export function withSchemaInstructions(system: string, schema: JsonSchema): string {
  return `${system}\n\nRespond with a single JSON value that validates against this JSON Schema:\n${JSON.stringify(schema)}`;
}

export function mapFinishReason(reason: LanguageModelV3FinishReason): FinishReason {
  switch (reason.unified) {
    case 'stop':
    case 'length':
    case 'error':
    case 'other':
      return reason.unified;
    case 'content-filter':
      return 'content_filter';
    case 'tool-calls':
      return 'tool_calls';
  }
}

export function mapUsage(usage: LanguageModelV3Usage): TokenUsage {
  return { promptTokens: usage.inputTokens.total ?? 0, completionTokens: usage.outputTokens.total ?? 0 };
}

/** Tool and format names must match `^[a-zA-Z0-9_-]{1,64}$` at every vendor. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'response';
}
