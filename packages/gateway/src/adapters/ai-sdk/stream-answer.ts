import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { TextSink } from '../../spec/provider.ts';

const noUsage: LanguageModelV3Usage = {
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

/** What a stream adds up to, kept as the parts arrive. */
interface StreamTally {
  text: string;
  toolCalls: LanguageModelV3Content[];
  finishReason: LanguageModelV3FinishReason;
  usage: LanguageModelV3Usage;
  providerMetadata?: LanguageModelV3GenerateResult['providerMetadata'];
  modelId?: string;
}

/**
 * Streams one call with `doStream`, handing every piece of the answer's text (text deltas, or the
 * forced tool call's input deltas) to the sink as it arrives, and returns what `doGenerate` would
 * have: the dialects read a streamed answer exactly like a whole one. The sink is awaited before the
 * next part is read, so a slow client slows the read from the vendor instead of filling memory.
 */
export async function streamAnswer(
  model: LanguageModelV3,
  options: LanguageModelV3CallOptions,
  sink: TextSink,
): Promise<LanguageModelV3GenerateResult> {
  const { stream } = await model.doStream({ ...options, includeRawChunks: false });
  const tally: StreamTally = {
    text: '',
    toolCalls: [],
    finishReason: { unified: 'other', raw: undefined },
    usage: noUsage,
  };
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const delta = apply(tally, value);
      if (delta) await sink.text(delta);
    }
  } finally {
    reader.releaseLock();
  }
  const content: LanguageModelV3Content[] = tally.text.length > 0 ? [{ type: 'text', text: tally.text }] : [];
  return {
    content: [...content, ...tally.toolCalls],
    finishReason: tally.finishReason,
    usage: tally.usage,
    ...(tally.providerMetadata === undefined ? {} : { providerMetadata: tally.providerMetadata }),
    response: tally.modelId === undefined ? {} : { modelId: tally.modelId },
    warnings: [],
  };
}

/** Adds one part to the tally; returns the answer text it carries, if any. Throws a streamed error. */
function apply(tally: StreamTally, part: LanguageModelV3StreamPart): string | undefined {
  switch (part.type) {
    case 'text-delta':
      tally.text += part.delta;
      return part.delta;
    case 'tool-input-delta':
      return part.delta;
    case 'tool-call':
      tally.toolCalls.push(part);
      return undefined;
    case 'response-metadata':
      if (part.modelId !== undefined) tally.modelId = part.modelId;
      return undefined;
    case 'finish':
      tally.finishReason = part.finishReason;
      tally.usage = part.usage;
      if (part.providerMetadata !== undefined) tally.providerMetadata = part.providerMetadata;
      return undefined;
    case 'error':
      throw part.error;
    default:
      return undefined;
  }
}
