import { DependencyError, TributaryError, ValidationError } from '@tributary/core';
import { createLogger, createMetrics, type Logger } from '@tributary/observability';
import { createHttpService, rawBody, type HttpService, type HttpServiceOptions } from '../src';

/** Real server on a random port, real `fetch` (no supertest): what a probe or Prometheus would see. */
describe('createHttpService', () => {
  let service: HttpService | undefined;
  let logLines: Record<string, unknown>[];
  let logger: Logger;

  beforeEach(() => {
    logLines = [];
    logger = createLogger('test-service', {
      level: 'info',
      stream: { write: (s: string) => logLines.push(JSON.parse(s) as Record<string, unknown>) },
    });
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  async function start(options: Partial<HttpServiceOptions> = {}): Promise<string> {
    service = createHttpService({
      service: 'test-service',
      logger,
      metrics: createMetrics('test-service'),
      ...options,
    });
    const port = await service.start(0, '127.0.0.1');
    expect(port).toBeGreaterThan(0);
    return `http://127.0.0.1:${port}`;
  }

  it('when GET /healthz, then 200 with the service name', async () => {
    const base = await start();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: 'test-service' });
  });

  it('when every readiness check passes, then /readyz is 200 with each check ok', async () => {
    const base = await start({
      readiness: { postgres: async () => undefined, kafka: async () => undefined },
    });
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', kafka: 'ok' } });
  });

  it('when a check fails or hangs, then /readyz is 503 naming which (why only in the log), and the checks ran in parallel', async () => {
    const base = await start({
      readinessTimeoutMs: 300,
      readiness: {
        postgres: async () => undefined,
        kafka: async () => {
          throw new DependencyError('KAFKA_UNAVAILABLE', 'no broker reachable');
        },
        registry: () => new Promise<void>(() => undefined),
        registry2: () => new Promise<void>(() => undefined),
      },
    });
    const started = Date.now();
    const res = await fetch(`${base}/readyz`);
    expect(Date.now() - started).toBeLessThan(550); // two hanging checks, one timeout's worth of waiting
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not_ready',
      checks: {
        postgres: 'ok',
        kafka: 'failed',
        registry: 'failed',
        registry2: 'failed',
      },
    });
    const changed = logLines.filter((l) => l.event === 'http.readiness.changed');
    expect(changed).toHaveLength(1);
    expect(JSON.stringify(changed[0])).toContain('no broker reachable');
    expect(JSON.stringify(changed[0])).toContain('timed out after 300 ms');
  });

  it('when /metrics is scraped, then it exposes request metrics labelled by route template', async () => {
    const base = await start({
      configure: (app) => app.get('/syncs/:id', (req, res) => void res.json({ id: req.params.id })),
    });
    await fetch(`${base}/syncs/abc`);
    await fetch(`${base}/syncs/def`);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE tributary_http_requests_total counter');
    expect(text).toContain(
      'tributary_http_requests_total{method="GET",route="/syncs/:id",status="200",service="test-service"} 2',
    );
    expect(text).not.toContain('/syncs/abc');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('when a route throws a ValidationError, then 400 with code, message and details', async () => {
    const base = await start({
      configure: (app) =>
        app.post('/syncs', (req) => {
          throw new ValidationError('mode must be full or incremental', {
            details: { given: req.body.mode },
          });
        }),
    });
    const res = await fetch(`${base}/syncs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'sideways' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'mode must be full or incremental',
        details: { given: 'sideways' },
      },
    });
    expect(logLines.filter((l) => l.event === 'http.error')).toHaveLength(0);
  });

  it('when an error carries details.status, then that status is used', async () => {
    const base = await start({
      configure: (app) =>
        app.get('/conflict', async () => {
          throw new TributaryError('SYNC_ALREADY_RUNNING', 'a sync is running', {
            details: { status: 409, syncId: 's1' },
          });
        }),
    });
    const res = await fetch(`${base}/conflict`);
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'SYNC_ALREADY_RUNNING', message: 'a sync is running', details: { syncId: 's1' } },
    });
  });

  it('when a route throws an unknown error, then 500 without its message or stack, and it is logged', async () => {
    const base = await start({
      configure: (app) =>
        app.get('/boom', async () => {
          throw new Error('secret internals at /srv/app.ts:12');
        }),
    });
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: 'INTERNAL', message: 'internal server error', details: {} },
    });
    expect(body).not.toContain('secret');
    const [logged] = logLines.filter((l) => l.event === 'http.error');
    expect(logged).toMatchObject({
      level: 'error',
      route: '/boom',
      status: 500,
      err: { message: 'secret internals at /srv/app.ts:12' },
    });
  });

  it('when no route matches or the JSON is malformed or too large, then errors keep the same shape', async () => {
    const base = await start({
      bodyLimit: 100,
      configure: (app) =>
        app.post('/echo', (req, res) => void res.json({ raw: rawBody(req)?.toString('utf8') })),
    });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');

    const post = (body: string) =>
      fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"a":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
    const large = await post(JSON.stringify({ a: 'x'.repeat(200) }));
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const ok = await post('{"a": 1}');
    expect(await ok.json()).toEqual({ raw: '{"a": 1}' });
  });

  it('when stopped with an idle keep-alive connection open, then it closes promptly and refuses new requests', async () => {
    const base = await start();
    const res = await fetch(`${base}/healthz`); // undici keeps this connection alive in its pool
    await res.json();
    const started = Date.now();
    await service!.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('when stopped during a request, then the request still completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = await start({
      configure: (app) =>
        app.get('/slow', async (_req, res) => {
          await gate;
          res.json({ done: true });
        }),
    });
    const pending = fetch(`${base}/slow`);
    await new Promise((r) => setTimeout(r, 50)); // the request is in the handler
    const stopped = service!.stop();
    release();
    const res = await pending;
    expect(await res.json()).toEqual({ done: true });
    await stopped;
  });
});
