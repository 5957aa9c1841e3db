import { describe, expect, it } from 'vitest';
import { estimateTokensOfLength, PriceTable } from './price-table.ts';

describe('PriceTable', () => {
  it('prices by exact id and by dated-snapshot prefix, longest prefix first', () => {
    const table = new PriceTable();
    expect(table.priceOf('gpt-4o')).toEqual({ inputPer1k: 0.0025, outputPer1k: 0.01 });
    expect(table.priceOf('gpt-4o-mini-2024-07-18')).toEqual({ inputPer1k: 0.00015, outputPer1k: 0.0006 });
    expect(table.priceOf('gpt-4o-2024-08-06')?.inputPer1k).toBe(0.0025);
    expect(table.priceOf('llama3.1:8b')).toBeUndefined();
  });

  it('answers repeated lookups the same, also after its memo of resolved models fills up', () => {
    const table = new PriceTable();
    for (let index = 0; index < 2500; index++) expect(table.priceOf(`self-hosted-${index}`)).toBeUndefined();
    expect(table.priceOf('gpt-4o-2024-08-06')?.inputPer1k).toBe(0.0025);
    expect(table.priceOf('gpt-4o-2024-08-06')?.inputPer1k).toBe(0.0025);
    expect(table.priceOf('gpt-4o-mini')?.inputPer1k).toBe(0.00015);
  });

  it('lets config override and extend the defaults', () => {
    const table = new PriceTable({
      'gpt-4o': { inputPer1k: 1, outputPer1k: 2 },
      'my-model': { inputPer1k: 0.5, outputPer1k: 0 },
    });
    expect(table.costUsd('gpt-4o', 1000, 500)).toBe(2);
    expect(table.costUsd('my-model', 2000, 9999)).toBe(1);
  });

  it('computes cost from both token counts and charges nothing for unknown models', () => {
    const table = new PriceTable();
    expect(table.costUsd('claude-sonnet-4-5', 1200, 300)).toBeCloseTo(0.0036 + 0.0045, 10);
    expect(table.costUsd('unknown', 1e6, 1e6)).toBe(0);
  });

  it('estimates tokens on the high side', () => {
    expect(estimateTokensOfLength('a'.repeat(300).length)).toBe(100);
  });
});
