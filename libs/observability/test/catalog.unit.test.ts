import { LOG_EVENT_NAMES, METRIC_NAMES, METRICS } from '../src';

describe('metric catalog', () => {
  it('when listing metric names, then each is unique, prefixed tributary_ and a valid Prometheus name', () => {
    expect(new Set(METRIC_NAMES).size).toBe(METRIC_NAMES.length);
    for (const name of METRIC_NAMES) expect(name).toMatch(/^tributary_[a-z][a-z0-9_]*[a-z0-9]$/);
  });

  it('when a histogram is declared, then no other metric takes one of its series names', () => {
    const series = new Set<string>();
    for (const name of METRIC_NAMES) {
      const names =
        METRICS[name].kind === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
      for (const s of names) {
        expect(series.has(s)).toBe(false);
        series.add(s);
      }
    }
    for (const name of METRIC_NAMES)
      if (METRICS[name].kind === 'histogram') expect(series.has(name)).toBe(false);
  });

  it('when a metric is declared, then it follows the naming rules and declares help and distinct labels', () => {
    for (const name of METRIC_NAMES) {
      const def = METRICS[name];
      expect(def.help.length).toBeGreaterThan(10);
      expect(new Set(def.labels).size).toBe(def.labels.length);
      expect(def.labels).not.toContain('service'); // added to every series by the registry
      for (const label of def.labels) expect(label).toMatch(/^[a-z][a-z0-9_]*$/);
      if (def.kind === 'counter') expect(name).toMatch(/_total$/);
      else expect(name).not.toMatch(/_total$/);
      if (def.kind === 'histogram') expect(name).toMatch(/_seconds$/);
    }
  });

  it('when listing the metrics the brief requires, then all are declared', () => {
    const required = [
      'http_requests_total',
      'http_request_duration_seconds',
      'kafka_messages_produced_total',
      'kafka_messages_consumed_total',
      'kafka_consumer_batch_duration_seconds',
      'kafka_consumer_lag',
      'dlq_messages_total',
      'projector_rows_upserted_total',
      'projector_batch_duration_seconds',
      'source_api_requests_total',
      'source_api_request_duration_seconds',
      'source_api_rate_limit_remaining',
      'source_api_throttled_total',
      'circuit_breaker_state',
      'sync_runs_total',
      'sync_records_fetched_total',
      'sync_run_duration_seconds',
      'webhook_deliveries_total',
      'webhook_to_kafka_seconds',
    ];
    expect(METRIC_NAMES).toEqual(expect.arrayContaining(required.map((n) => `tributary_${n}`)));
  });
});

describe('log event catalog', () => {
  it('when listing log event names, then each is unique and lower-case dotted', () => {
    expect(new Set(LOG_EVENT_NAMES).size).toBe(LOG_EVENT_NAMES.length);
    for (const name of LOG_EVENT_NAMES) expect(name).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
  });
});
