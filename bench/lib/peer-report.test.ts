import { describe, expect, it } from 'vitest';
import {
  type ComparedScenario,
  type PeerComparison,
  peerGoals,
  roundRatio,
  summarizeTarget,
} from './peer-report.ts';
import { loadRow } from './test-fixtures.ts';

const windows = (target: string, side: 'ours' | 'peer' | 'direct', cpu: number[], p99: number[] = []) => ({
  target,
  side,
  windows: cpu.map((value, round) =>
    loadRow(target, { cpuMsPerRequest: value, p50Ms: 200 + value, p99Ms: p99[round] ?? 210 }),
  ),
});

describe('roundRatio', () => {
  it('divides round by round and takes the median, so a slow round for both sides cancels out', () => {
    const ours = windows('ours', 'ours', [0.3, 0.6, 0.2]);
    const peer = windows('peer', 'peer', [1.0, 2.0, 0.5]);
    expect(roundRatio(ours, peer, (row) => row.cpuMsPerRequest)).toEqual({ median: 0.3, min: 0.3, max: 0.4 });
  });

  it('skips rounds where the peer has no figure', () => {
    const ours = windows('ours', 'ours', [0.3, 0.6]);
    const peer = windows('peer', 'peer', [1.0]);
    expect(roundRatio(ours, peer, (row) => row.cpuMsPerRequest).median).toBe(0.3);
  });
});

describe('summarizeTarget', () => {
  it('reports added latency over the direct path of the same round, and RSS per in-flight request', () => {
    const direct = windows('direct', 'direct', [0, 0], [205, 220]);
    const ours = {
      ...windows('ours', 'ours', [1, 3], [215, 240]),
      idleRssMb: 100,
    };
    ours.windows[1] = { ...ours.windows[1]!, peakRssMb: 300 };
    const summary = summarizeTarget(ours, 2000, direct);
    expect(summary.addedP99Ms).toBe(15);
    expect(summary.addedP50Ms).toBe(2);
    expect(summary.rssPerInFlightKb).toBeCloseTo((200 * 1024) / 2000);
  });

  it('reports no added latency for a window that answered nothing', () => {
    const direct = windows('direct', 'direct', [0], [205]);
    const silent = {
      target: 'peer',
      side: 'peer' as const,
      windows: [loadRow('peer', { completed: 0, p50Ms: Number.NaN, p99Ms: Number.NaN })],
    };
    expect(summarizeTarget(silent, 2000, direct).addedP99Ms).toBeNaN();
  });
});

describe('peerGoals', () => {
  const scenario = (name: string, targets: ComparedScenario['targets']): ComparedScenario => ({
    scenario: name,
    connections: 256,
    providerDelayMs: 200,
    targets,
  });

  it('judges CPU per request on the ratio to the peer and idle RSS on the difference', () => {
    const run: PeerComparison = {
      realistic: scenario('realistic', [
        windows('ours: /v1/analyze, miss', 'ours', [0.4]),
        windows('ours: /v1/analyze, cache hit', 'ours', [0.2]),
        windows('peer: /v1/chat/completions', 'peer', [1.0]),
      ]),
      slow: scenario('slow', []),
      inFlight: scenario('in flight', []),
      idleRssMb: { ours: 130, peer: 100 },
    };
    const { checks } = peerGoals(run);
    expect(checks.map((check) => check.met)).toEqual([true, false, false]);
  });
});
