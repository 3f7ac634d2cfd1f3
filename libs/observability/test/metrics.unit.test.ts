import { createMetrics } from '../src';

describe('createMetrics', () => {
  it('when a catalog metric is used, then it is exposed with the service label and its declared help', async () => {
    const metrics = createMetrics('ingest-repcard');
    metrics.counter('tributary_sync_records_fetched_total').inc({ source: 'repcard', entity: 'users' }, 5);
    const text = await metrics.registry.metrics();
    expect(text).toContain('# HELP tributary_sync_records_fetched_total Records fetched');
    expect(text).toContain(
      'tributary_sync_records_fetched_total{source="repcard",entity="users",service="ingest-repcard"} 5',
    );
  });

  it('when the same metric is asked for twice, then the same instance is returned', () => {
    const metrics = createMetrics('x');
    expect(metrics.histogram('tributary_http_request_duration_seconds')).toBe(
      metrics.histogram('tributary_http_request_duration_seconds'),
    );
  });

  it('when two services create metrics in one process, then their registries do not collide', async () => {
    const a = createMetrics('a');
    const b = createMetrics('b');
    a.gauge('tributary_circuit_breaker_state').set({ source: 'repcard' }, 2);
    b.gauge('tributary_circuit_breaker_state').set({ source: 'repcard' }, 0);
    expect(await a.registry.metrics()).toContain(
      'tributary_circuit_breaker_state{source="repcard",service="a"} 2',
    );
    expect(await b.registry.metrics()).toContain(
      'tributary_circuit_breaker_state{source="repcard",service="b"} 0',
    );
  });

  it('when default metrics are collected, then Node process metrics are present', async () => {
    const text = await createMetrics('x').registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_total_bytes');
  });
});

describe('Metrics.preset', () => {
  it('when a counter is preset, then every label set given or declared in the catalog is exposed at 0', async () => {
    const metrics = createMetrics('ingest-repcard');
    metrics.preset('tributary_sync_runs_total', { source: 'repcard', mode: ['full', 'incremental'] });
    const text = await metrics.registry.metrics();
    for (const mode of ['full', 'incremental'])
      for (const outcome of ['completed', 'failed', 'skipped'])
        expect(text).toContain(
          `tributary_sync_runs_total{source="repcard",mode="${mode}",outcome="${outcome}",service="ingest-repcard"} 0`,
        );
  });

  it('when a preset counter is then incremented, then the increment adds to the 0', async () => {
    const metrics = createMetrics('x');
    metrics.preset('tributary_dlq_messages_total', { topic: 't' });
    metrics.counter('tributary_dlq_messages_total').inc({ topic: 't', reason: 'handler' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('tributary_dlq_messages_total{topic="t",reason="handler",service="x"} 1');
    expect(text).toContain('tributary_dlq_messages_total{topic="t",reason="decode",service="x"} 0');
  });

  it('when a histogram is preset, then its buckets are exposed at 0', async () => {
    const metrics = createMetrics('x');
    metrics.preset('tributary_sync_run_duration_seconds', { source: 'repcard', entity: ['users'] });
    expect(await metrics.registry.metrics()).toContain(
      'tributary_sync_run_duration_seconds_count{service="x",source="repcard",entity="users"} 0',
    );
  });

  it('when a label has neither given nor declared values, then preset throws naming it', () => {
    expect(() => createMetrics('x').preset('tributary_sync_runs_total', { source: 'repcard' })).toThrow(
      /label mode/,
    );
  });
});

describe('Metrics.collectedGauge', () => {
  it('when the registry is scraped, then the collect callback sets the values first', async () => {
    const metrics = createMetrics('projector');
    let calls = 0;
    metrics.collectedGauge('tributary_newest_row_age_seconds', async (gauge) => {
      calls += 1;
      gauge.set({ table: 'repcard_users' }, 42);
    });
    expect(await metrics.registry.metrics()).toContain(
      'tributary_newest_row_age_seconds{table="repcard_users",service="projector"} 42',
    );
    expect(calls).toBe(1);
  });

  it('when the gauge was already created without a callback, then collectedGauge throws', () => {
    const metrics = createMetrics('x');
    metrics.gauge('tributary_newest_row_age_seconds');
    expect(() => metrics.collectedGauge('tributary_newest_row_age_seconds', () => undefined)).toThrow(
      /already exists/,
    );
  });
});
