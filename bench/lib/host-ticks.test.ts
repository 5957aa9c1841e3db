import { describe, expect, it } from 'vitest';
import { parseHostTicks, stealShare } from './child-processes.ts';

// The first lines of /proc/stat on a 2 vCPU guest: user nice system idle iowait irq softirq steal guest guest_nice.
const procStat = (steal: number, idle: number) =>
  [
    `cpu  60001 0 15400 ${idle} 432 0 5145 ${steal} 0 0`,
    'cpu0 30000 0 7700 146000 216 0 2572 2031 0 0',
    'intr 1',
  ].join('\n');

describe('host CPU ticks from /proc/stat', () => {
  it('sums the eight states and keeps steal apart', () => {
    expect(parseHostTicks(procStat(4063, 292523))).toEqual({
      total: 60001 + 15400 + 292523 + 432 + 5145 + 4063,
      steal: 4063,
    });
  });

  it('gives the stolen share of the time between two readings', () => {
    const before = parseHostTicks(procStat(4063, 292523));
    const after = parseHostTicks(procStat(4063 + 30, 292523 + 970));
    expect(stealShare(before, after)).toBeCloseTo(0.03, 12);
    expect(stealShare(before, before)).toBe(0);
  });

  it('refuses text that is not the aggregate cpu line', () => {
    expect(() => parseHostTicks('intr 1 2 3')).toThrow(/not a \/proc\/stat cpu line/);
    expect(() => parseHostTicks('cpu  1 2 3')).toThrow(/8 expected counters/);
  });
});
