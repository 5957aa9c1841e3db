import type { Dialect } from '../ai-sdk/ai-sdk-provider.ts';
import { textOf } from '../ai-sdk/ai-sdk-provider.ts';
import { safeName } from '../ai-sdk/convert-request.ts';

/**
 * Anthropic forced tool use: one tool whose input schema is the compiled schema, and
 * `tool_choice: {type: "tool"}` so the model must answer by calling it. The tool input is the answer.
 */
export const anthropicDialect: Dialect = {
  target: 'anthropic',
  callOptions(compiled, request) {
    const toolName = safeName(request.schemaName);
    return {
      tools: [
        {
          type: 'function',
          name: toolName,
          description: 'Record the structured answer. Call this tool exactly once with the complete answer.',
          inputSchema: compiled.schema ?? { type: 'object' },
        },
      ],
      toolChoice: { type: 'tool', toolName },
    };
  },
  answer(result, compiled) {
    const call = result.content.find((part) => part.type === 'tool-call');
    if (!call) return { text: textOf(result) };
    let text = call.input;
    if (compiled.wrappedIn) {
      try {
        const wrapped = JSON.parse(text) as Record<string, unknown>;
        text = JSON.stringify(wrapped[compiled.wrappedIn] ?? null);
      } catch {
        // left for the lenient parser
      }
    }
    // A forced tool call is the answer, not a request to run a tool.
    const finishReason = result.finishReason.unified === 'tool-calls' ? 'stop' : undefined;
    return finishReason ? { text, finishReason } : { text };
  },
};
