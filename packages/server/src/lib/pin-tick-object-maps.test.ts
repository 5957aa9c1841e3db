import { describe, expect, it } from 'vitest';
import { pinnedTickObjects } from './pin-tick-object-maps.ts';

describe('pinTickObjectMaps', () => {
  it("holds one of Node's tick objects without arguments and one with", () => {
    expect(pinnedTickObjects).toHaveLength(2);
    const [plain, withArguments] = pinnedTickObjects as Array<{ callback: unknown; args: unknown }>;
    expect(typeof plain?.callback).toBe('function');
    expect(plain?.args).toBeUndefined();
    expect(withArguments?.args).toEqual([undefined]);
    // The objects carry Node's own async-id symbols: they are real tick objects, not look-alikes.
    expect(Object.getOwnPropertySymbols(plain).map(String)).toContain('Symbol(async_id_symbol)');
  });

  it('leaves no hook enabled behind', async () => {
    // A hook left enabled would pin every later tick object too (and keep them all alive).
    await new Promise<void>((resolve) => process.nextTick(resolve));
    await new Promise<void>((resolve) => process.nextTick(resolve, undefined));
    expect(pinnedTickObjects).toHaveLength(2);
  });
});
