/** USD per 1,000 tokens. */
export interface ModelPrice {
  inputPer1k: number;
  outputPer1k: number;
}

/**
 * Published list prices of common models when this table was written. They change: override or
 * extend them with `providers.pricing` in the config file rather than editing code. Dated snapshot
 * ids (`gpt-4o-2024-08-06`) match their base entry by prefix.
 */
export const defaultPrices: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 0.01 },
  'gpt-4o-mini': { inputPer1k: 0.00015, outputPer1k: 0.0006 },
  'gpt-4.1': { inputPer1k: 0.002, outputPer1k: 0.008 },
  'gpt-4.1-mini': { inputPer1k: 0.0004, outputPer1k: 0.0016 },
  'gpt-4.1-nano': { inputPer1k: 0.0001, outputPer1k: 0.0004 },
  'gpt-4-turbo': { inputPer1k: 0.01, outputPer1k: 0.03 },
  'gpt-4': { inputPer1k: 0.03, outputPer1k: 0.06 },
  'gpt-3.5-turbo': { inputPer1k: 0.0005, outputPer1k: 0.0015 },
  'gpt-5': { inputPer1k: 0.00125, outputPer1k: 0.01 },
  'gpt-5-mini': { inputPer1k: 0.00025, outputPer1k: 0.002 },
  'gpt-5-nano': { inputPer1k: 0.00005, outputPer1k: 0.0004 },
  'claude-opus-4-1': { inputPer1k: 0.015, outputPer1k: 0.075 },
  'claude-opus-4': { inputPer1k: 0.015, outputPer1k: 0.075 },
  'claude-sonnet-4-5': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-sonnet-4': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-haiku-4-5': { inputPer1k: 0.001, outputPer1k: 0.005 },
  'claude-3-7-sonnet': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-3-5-sonnet': { inputPer1k: 0.003, outputPer1k: 0.015 },
  'claude-3-5-haiku': { inputPer1k: 0.0008, outputPer1k: 0.004 },
  'claude-3-haiku': { inputPer1k: 0.00025, outputPer1k: 0.00125 },
  'gemini-2.5-pro': { inputPer1k: 0.00125, outputPer1k: 0.01 },
  'gemini-2.5-flash': { inputPer1k: 0.0003, outputPer1k: 0.0025 },
  'gemini-2.5-flash-lite': { inputPer1k: 0.0001, outputPer1k: 0.0004 },
  'gemini-2.0-flash': { inputPer1k: 0.0001, outputPer1k: 0.0004 },
  'gemini-2.0-flash-lite': { inputPer1k: 0.000075, outputPer1k: 0.0003 },
  'gemini-1.5-pro': { inputPer1k: 0.00125, outputPer1k: 0.005 },
  'gemini-1.5-flash': { inputPer1k: 0.000075, outputPer1k: 0.0003 },
};

const maxResolvedModels = 1000;

/** Config prices merged over the defaults; lookups by exact id, then by longest dated-snapshot prefix. */
export class PriceTable {
  readonly #prices: Map<string, ModelPrice>;
  /**
   * Answers of `priceOf` by model id, unknown models included: the prefix search runs on every
   * provider call (estimate and cost), and a self-hosted model matches nothing after a full scan.
   * Bounded, because model ids come from requests.
   */
  readonly #resolved = new Map<string, ModelPrice | null>();

  constructor(overrides: Readonly<Record<string, ModelPrice>> = {}) {
    this.#prices = new Map(Object.entries({ ...defaultPrices, ...overrides }));
  }

  priceOf(model: string): ModelPrice | undefined {
    const known = this.#resolved.get(model);
    if (known !== undefined) return known ?? undefined;
    const exact = this.#prices.get(model);
    let best: [string, ModelPrice] | undefined = exact ? [model, exact] : undefined;
    if (!exact) {
      for (const [id, price] of this.#prices) {
        if (model.startsWith(`${id}-`) && (!best || id.length > best[0].length)) best = [id, price];
      }
    }
    if (this.#resolved.size >= maxResolvedModels) this.#resolved.clear();
    this.#resolved.set(model, best?.[1] ?? null);
    return best?.[1];
  }

  /** USD for the tokens of one call; unknown models (self-hosted, local) cost nothing. */
  costUsd(model: string, promptTokens: number, completionTokens: number): number {
    const price = this.priceOf(model);
    if (!price) return 0;
    return roundUsd((promptTokens / 1000) * price.inputPer1k + (completionTokens / 1000) * price.outputPer1k);
  }

  entries(): Array<[string, ModelPrice]> {
    return [...this.#prices];
  }
}

/** Micro-dollar precision: enough for per-request costs, free of float noise in logs and sums. */
function roundUsd(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/**
 * Rough token count of a text of this many characters, for budget estimates before a call: about 4
 * characters per token for English, fewer for other scripts, so 3 keeps it an upper bound mostly.
 */
export function estimateTokensOfLength(characters: number): number {
  return Math.ceil(characters / 3);
}
