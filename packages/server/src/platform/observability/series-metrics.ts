import type { Registry } from 'prom-client';

/**
 * Counter and histogram families for the request path, registered in the same prom-client registry
 * and rendered by it (ADR 0016). prom-client resolves labels on every call: it validates the label
 * object, builds a hash string from it and, for a histogram, finds the bucket through an object keyed
 * by the bound's string. Here a series is found through nested maps of label values, with no string
 * built per call, and then updated as plain numbers. Families have at most three labels; callers pass
 * values already bounded (`BoundedLabel`), in `labelNames` order.
 */

type Labels = Record<string, string>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

interface FamilyOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  registers: Registry[];
}

/** Series of one family by label values. */
class SeriesTable<S> {
  readonly #labelNames: readonly string[];
  readonly #create: (labels: Labels) => S;
  readonly #root = new Map<string, unknown>();
  #unlabelled: S | undefined;
  /** Every series in creation order, which is the order they are rendered in (as prom-client does). */
  readonly all: Array<{ labels: Labels; series: S }> = [];

  constructor(labelNames: readonly string[], create: (labels: Labels) => S) {
    if (labelNames.length > 3) throw new Error('series families take at most three labels');
    this.#labelNames = labelNames;
    this.#create = create;
  }

  at(a = '', b = '', c = ''): S {
    switch (this.#labelNames.length) {
      case 0:
        this.#unlabelled ??= this.#add([]);
        return this.#unlabelled;
      case 1:
        return (this.#root.get(a) as S | undefined) ?? this.#leaf(this.#root, a, [a]);
      case 2: {
        const level = this.#level(this.#root, a);
        return (level.get(b) as S | undefined) ?? this.#leaf(level, b, [a, b]);
      }
      default: {
        const level = this.#level(this.#level(this.#root, a), b);
        return (level.get(c) as S | undefined) ?? this.#leaf(level, c, [a, b, c]);
      }
    }
  }

  #level(parent: Map<string, unknown>, value: string): Map<string, unknown> {
    let level = parent.get(value) as Map<string, unknown> | undefined;
    if (!level) {
      level = new Map();
      parent.set(value, level);
    }
    return level;
  }

  #leaf(parent: Map<string, unknown>, value: string, values: string[]): S {
    const series = this.#add(values);
    parent.set(value, series);
    return series;
  }

  #add(values: string[]): S {
    const labels: Labels = {};
    this.#labelNames.forEach((name, index) => {
      labels[name] = values[index] ?? '';
    });
    const series = this.#create(labels);
    this.all.push({ labels, series });
    return series;
  }
}

export class CounterSeries {
  value = 0;

  inc(amount = 1): void {
    this.value += amount;
  }
}

/** A counter family; `at(...)` gives the series of those label values, keep it or look it up again. */
export class SeriesCounter<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'counter';
  readonly aggregator = 'sum';
  readonly #table: SeriesTable<CounterSeries>;

  constructor(options: FamilyOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.#table = new SeriesTable(options.labelNames ?? [], () => new CounterSeries());
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  at(a?: string, b?: string, c?: string): CounterSeries {
    return this.#table.at(a, b, c);
  }

  async get() {
    const values: MetricValue[] = this.#table.all.map(({ labels, series }) => ({
      labels: { ...labels },
      value: series.value,
    }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const { series } of this.#table.all) series.value = 0;
  }
}

export class HistogramSeries {
  readonly #bounds: readonly number[];
  /** Observations per bucket, not cumulative; values above the last bound are only in `count`. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    // Never throw from the request path: a value that is not a number is not recorded.
    if (!Number.isFinite(value)) return;
    const bounds = this.#bounds;
    let index = 0;
    while (index < bounds.length && value > bounds[index]!) index++;
    if (index < bounds.length) this.counts[index]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

/** A histogram family with cumulative `le` buckets, `_sum` and `_count`, like prom-client's. */
export class SeriesHistogram<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #table: SeriesTable<HistogramSeries>;

  constructor(options: FamilyOptions<L> & { buckets: readonly number[] }) {
    this.name = options.name;
    this.help = options.help;
    this.#bounds = [...options.buckets].sort((a, b) => a - b);
    this.#table = new SeriesTable(options.labelNames ?? [], () => new HistogramSeries(this.#bounds));
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  at(a?: string, b?: string, c?: string): HistogramSeries {
    return this.#table.at(a, b, c);
  }

  async get() {
    const values: MetricValue[] = [];
    for (const { labels, series } of this.#table.all) {
      let cumulative = 0;
      this.#bounds.forEach((bound, index) => {
        cumulative += series.counts[index] ?? 0;
        // `le` first, as prom-client renders it.
        values.push({
          labels: { le: String(bound), ...labels },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      });
      values.push({
        labels: { le: '+Inf', ...labels },
        value: series.count,
        metricName: `${this.name}_bucket`,
      });
      values.push({ labels: { ...labels }, value: series.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...labels }, value: series.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    for (const { series } of this.#table.all) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }
}
