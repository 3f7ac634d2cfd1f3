import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  DURATION_BUCKETS,
  METRICS,
  type CounterName,
  type GaugeName,
  type HistogramName,
  type MetricLabel,
  type MetricName,
} from './metric-names';

/**
 * A service's metrics: one prom-client registry with the default Node process metrics and the label
 * `service` on every series. Catalog metrics are created on first use and then reused, so two modules
 * asking for the same name share one metric.
 */
export interface Metrics {
  readonly service: string;
  readonly registry: Registry;
  counter<N extends CounterName>(name: N): Counter<MetricLabel<N>>;
  gauge<N extends GaugeName>(name: N): Gauge<MetricLabel<N>>;
  histogram<N extends HistogramName>(name: N): Histogram<MetricLabel<N>>;
  /**
   * Creates at 0 every label set of a counter or histogram: each label takes the values given here,
   * else the catalog's `values` (a label with neither is a programming error and throws). So that
   * `increase()` sees the first increment after a start, call it where the service starts.
   */
  preset<N extends CounterName | HistogramName>(name: N, given?: LabelValues<N>): void;
  /**
   * A gauge whose value is computed on each scrape by `collect` (prom-client's collect callback). The
   * callback must not throw (it would fail the whole scrape): catch, log, keep the last values.
   */
  collectedGauge<N extends GaugeName>(
    name: N,
    collect: (gauge: Gauge<MetricLabel<N>>) => Promise<void> | void,
  ): Gauge<MetricLabel<N>>;
}

/** The values of some labels of metric `N`: one value or a list. */
export type LabelValues<N extends MetricName> = Partial<Record<MetricLabel<N>, string | readonly string[]>>;

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const created = new Map<MetricName, Counter | Gauge | Histogram>();

  function get(
    name: MetricName,
    collect?: (this: Gauge) => Promise<void> | void,
  ): Counter | Gauge | Histogram {
    const existing = created.get(name);
    if (existing && collect)
      throw new Error(`${name} already exists: a collected gauge must be created first`);
    if (existing) return existing;
    const def = METRICS[name];
    const common = { name, help: def.help, labelNames: [...def.labels], registers: [registry] };
    let metric: Counter | Gauge | Histogram;
    switch (def.kind) {
      case 'counter':
        metric = new Counter(common);
        break;
      case 'gauge':
        metric = new Gauge(collect ? { ...common, collect } : common);
        break;
      case 'histogram': {
        const buckets: readonly number[] = 'buckets' in def ? def.buckets : DURATION_BUCKETS;
        metric = new Histogram({ ...common, buckets: [...buckets] });
        break;
      }
      default: {
        const unknownKind: never = def;
        throw new Error(`unknown metric kind in ${String(unknownKind)}`);
      }
    }
    created.set(name, metric);
    return metric;
  }

  return {
    service,
    registry,
    counter: (name) => get(name) as Counter<never>,
    gauge: (name) => get(name) as Gauge<never>,
    histogram: (name) => get(name) as Histogram<never>,
    preset(name, given = {}) {
      const metric = get(name) as Counter | Histogram;
      for (const labels of labelSets(name, given as Record<string, string | readonly string[]>)) {
        if (metric instanceof Counter) metric.inc(labels, 0);
        else metric.zero(labels);
      }
    },
    collectedGauge: (name, collect) =>
      get(name, function (this: Gauge) {
        return collect(this as Gauge<never>);
      }) as Gauge<never>,
  };
}

/** Every combination of the label values of `name` (given, else the catalog's). */
export function labelSets(
  name: MetricName,
  given: Record<string, string | readonly string[]>,
): Record<string, string>[] {
  const def = METRICS[name];
  const known: Readonly<Record<string, readonly string[]>> = 'values' in def ? def.values : {};
  let sets: Record<string, string>[] = [{}];
  for (const label of def.labels) {
    const g = given[label];
    const values = g === undefined ? known[label] : typeof g === 'string' ? [g] : g;
    if (!values)
      throw new Error(
        `preset ${name}: no values for label ${label} (give them, or declare them in the catalog)`,
      );
    sets = sets.flatMap((set) => values.map((v) => ({ ...set, [label]: v })));
  }
  return sets;
}
