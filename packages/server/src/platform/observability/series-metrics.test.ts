import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from './series-metrics.ts';

const buckets = [0.001, 0.01, 0.1, 1, 10];
const labelValue = fc.constantFrom('a', 'b', 'c');

describe('series families render what prom-client renders for the same updates', () => {
  it('histograms: buckets, +Inf, sum and count per series, in first-seen order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(labelValue, labelValue, fc.double({ min: 0, max: 50, noNaN: true })), {
          maxLength: 60,
        }),
        async (observations) => {
          const theirs = new Registry();
          const ours = new Registry();
          const options = { name: 'x_seconds', help: 'h', labelNames: ['method', 'route'] as const, buckets };
          const reference = new Histogram({ ...options, registers: [theirs] });
          const family = new SeriesHistogram({ ...options, registers: [ours] });
          for (const [method, route, value] of observations) {
            reference.observe({ method, route }, value);
            family.at(method, route).observe(value);
          }
          expect(await ours.metrics()).toBe(await theirs.metrics());
        },
      ),
    );
  });

  it('counters: one series per label combination, increments summed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(labelValue, labelValue, labelValue, fc.integer({ min: 1, max: 1000 })), {
          maxLength: 60,
        }),
        async (increments) => {
          const theirs = new Registry();
          const ours = new Registry();
          const options = { name: 'x_total', help: 'h', labelNames: ['a', 'b', 'c'] as const };
          const reference = new Counter({ ...options, registers: [theirs] });
          const family = new SeriesCounter({ ...options, registers: [ours] });
          for (const [a, b, c, amount] of increments) {
            reference.inc({ a, b, c }, amount);
            family.at(a, b, c).inc(amount);
          }
          expect(await ours.metrics()).toBe(await theirs.metrics());
        },
      ),
    );
  });

  it('families without labels have one series', async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: 'attempts', help: 'h', buckets: [1, 2, 3], registers: [theirs] });
    const family = new SeriesHistogram({
      name: 'attempts',
      help: 'h',
      buckets: [1, 2, 3],
      registers: [ours],
    });
    for (const value of [1, 1, 2, 5]) {
      reference.observe(value);
      family.at().observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});

describe('SeriesHistogram', () => {
  it('drops values that are not finite numbers instead of throwing on the request path', async () => {
    const registry = new Registry();
    const family = new SeriesHistogram({ name: 'h', help: 'h', buckets: [1], registers: [registry] });
    family.at().observe(Number.NaN);
    family.at().observe(Number.POSITIVE_INFINITY);
    family.at().observe(0.5);
    expect(await registry.metrics()).toContain('h_count 1');
  });

  it('refuses more than three labels, which the lookup does not support', () => {
    expect(
      () => new SeriesCounter({ name: 'c', help: 'h', labelNames: ['a', 'b', 'c', 'd'], registers: [] }),
    ).toThrow(/at most three labels/);
  });
});
