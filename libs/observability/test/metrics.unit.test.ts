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
