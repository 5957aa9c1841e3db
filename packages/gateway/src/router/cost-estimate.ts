import { estimateTokensOfLength, type PriceTable } from '../pricing/price-table.ts';
import type { GenerateRequest } from '../spec/provider.ts';
import { outputTokenCap } from '../spec/provider-settings.ts';
import type { RouterMember } from './router-member.ts';

/** USD for one call to `member`'s model; free for local and offline providers. */
export function callCostUsd(
  prices: PriceTable,
  member: RouterMember,
  modelId: string,
  inputTokens: number,
  outputTokens: number,
): number {
  if (member.settings.kind === 'local' || member.settings.kind === 'heuristic') return 0;
  return prices.costUsd(modelId, inputTokens, outputTokens);
}

/**
 * Upper bound of one answer's cost: the most expensive candidate that might end up answering, with
 * the input measured by the length of what is sent and the output by the token limit.
 */
export function estimateCostUsd(
  prices: PriceTable,
  candidates: readonly RouterMember[],
  request: GenerateRequest,
  model: string | undefined,
): number {
  let characters = request.system.length + JSON.stringify(request.schema ?? null).length;
  for (const [index, message] of request.messages.entries())
    characters += message.content.length + (index > 0 ? 1 : 0);
  const inputTokens = estimateTokensOfLength(characters);
  return Math.max(
    0,
    ...candidates.map((member) => {
      const outputTokens = outputTokenCap(request, member.settings);
      return callCostUsd(prices, member, model ?? member.provider.defaultModel, inputTokens, outputTokens);
    }),
  );
}
