import { createMetrics } from '@tributary/observability';
import { SourceClient } from '../src/source-client';
import { RateBudget } from '../src/rate-budget';

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

describe('SourceClient stopping', () => {
  it('when the signal aborts while a request waits for the budget, then it rejects with the reason at once and sends nothing', async () => {
    let sent = 0;
    const budget = new RateBudget({ limit: 1, periodMs: 60_000 });
    const client = new SourceClient({
      source: 'curagenesis',
      baseUrl: 'http://api.test',
      headers: {},
      budget,
      fetchImpl: (async () => {
        sent += 1;
        return new Response('{}', { status: 200 });
      }) as typeof fetch,
    });
    await client.getJson('/practices'); // the window's only slot, held for 60 s
    const stop = new AbortController();
    const started = Date.now();
    const waiting = client.getJson('/practices', {}, stop.signal);
    setTimeout(() => stop.abort(new Error('service stopping')), 50);
    await expect(waiting).rejects.toThrow('service stopping');
    client.shutdown();

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sent).toBe(1);
  });

  it('when the signal aborts while a request is in flight, then it rejects with the reason before the answer comes', async () => {
    const client = new SourceClient({
      source: 'curagenesis',
      baseUrl: 'http://api.test',
      headers: {},
      fetchImpl: ((_url: string, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new Error('fetch aborted')));
        })) as typeof fetch,
    });
    const stop = new AbortController();
    const pending = client.getJson('/practices', {}, stop.signal);
    setTimeout(() => stop.abort(new Error('service stopping')), 50);
    await expect(pending).rejects.toThrow('service stopping');
    client.shutdown();
  });
});
