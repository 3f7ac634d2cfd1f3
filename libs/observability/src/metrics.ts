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
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const created = new Map<MetricName, Counter | Gauge | Histogram>();

  function get(name: MetricName): Counter | Gauge | Histogram {
    const existing = created.get(name);
    if (existing) return existing;
    const def = METRICS[name];
    const common = { name, help: def.help, labelNames: [...def.labels], registers: [registry] };
    let metric: Counter | Gauge | Histogram;
    switch (def.kind) {
      case 'counter':
        metric = new Counter(common);
        break;
      case 'gauge':
        metric = new Gauge(common);
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
  };
}
