import { createMetrics } from '@tributary/observability';
import { SourceClient } from '../src/source-client';

function answers(...statuses: number[]): typeof fetch {
  let i = 0;
  return (async () => {
    const status = statuses[Math.min(i++, statuses.length - 1)]!;
    return new Response(JSON.stringify({ ok: status < 400 }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
}

describe('SourceClient metrics', () => {
  it('when a request is retried after a 5xx, then each retry is counted by source and endpoint template', async () => {
    const metrics = createMetrics('unit-test');
    const client = new SourceClient({
      source: 'repcard',
      baseUrl: 'http://api.test',
      headers: {},
      metrics,
      backoffBaseMs: 1,
      backoffCapMs: 2,
      fetchImpl: answers(503, 502, 200),
    });
    const res = await client.getJson('/customers/42');
    client.shutdown();

    expect(res.status).toBe(200);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'tributary_source_api_retries_total{source="repcard",endpoint="/customers/:id",service="unit-test"} 2',
    );
    expect(text).toContain(
      'tributary_source_api_requests_total{source="repcard",endpoint="/customers/:id",status="503",service="unit-test"} 1',
    );
  });

  it('when the first answer succeeds, then no retry is counted', async () => {
    const metrics = createMetrics('unit-test');
    const client = new SourceClient({
      source: 'repcard',
      baseUrl: 'http://api.test',
      headers: {},
      metrics,
      fetchImpl: answers(200),
    });
    await client.getJson('/users');
    client.shutdown();

    expect(await metrics.registry.metrics()).not.toContain('tributary_source_api_retries_total{');
  });
});
