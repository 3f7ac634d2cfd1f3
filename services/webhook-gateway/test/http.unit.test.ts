import { createHttpService, type HttpService } from '@tributary/http';
import { createLogger, createMetrics, type Metrics } from '@tributary/observability';
import { signHmacHex } from '../../../tools/sim-curagenesis/src/webhooks';
import { DedupWindow } from '../src/domain/dedup-window';
import type { OutgoingEvent } from '../src/domain/delivery-events';
import { createDeliveryReceiver } from '../src/domain/receive-delivery';
import { mountWebhookRoutes, WEBHOOK_PATHS } from '../src/entry-points/http';

/** The HTTP entry point on a real server (port 0) with a fake publication: the status codes and bodies. */
const SECRET = 'http-secret';
const body = JSON.stringify({ event: 'practice.updated', data: { practiceId: 'PR-000001' } });

describe('webhook routes', () => {
  let service: HttpService;
  let base: string;
  let published: OutgoingEvent[][];
  let logLines: string[];
  let metrics: Metrics;

  beforeEach(async () => {
    published = [];
    logLines = [];
    const logger = createLogger('webhook-gateway', { stream: { write: (s: string) => logLines.push(s) } });
    metrics = createMetrics('webhook-gateway');
    const receiver = createDeliveryReceiver({
      secret: SECRET,
      toleranceSec: 300,
      dedup: new DedupWindow({ windowMs: 60_000, maxEntries: 100 }),
      publish: async (events) => {
        published.push(events);
      },
    });
    service = createHttpService({
      service: 'webhook-gateway',
      logger,
      metrics,
      jsonBody: false,
      configure: (app) => mountWebhookRoutes(app, { receiver, bodyLimit: '1kb', logger, metrics }),
    });
    base = `http://127.0.0.1:${await service.start(0, '127.0.0.1')}`;
  });
  afterEach(() => service.stop());

  function post(
    raw: string | Buffer,
    headers: Record<string, string> = {},
    path = WEBHOOK_PATHS['practice-update'],
  ) {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-signature': signHmacHex(SECRET, raw),
        ...headers,
      },
      body: raw,
    });
  }

  it('when a signed delivery arrives, then 202 {status, deliveryId}, then 200 duplicate', async () => {
    const first = await post(body);
    expect(first.status).toBe(202);
    const { deliveryId } = (await first.json()) as { deliveryId: string };
    expect(deliveryId).toMatch(/^sha256:/);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'duplicate', deliveryId });
    expect(published).toHaveLength(1);
    const exposition = await metrics.registry.metrics();
    expect(exposition).toMatch(
      /tributary_webhook_deliveries_total\{[^}]*endpoint="practice-update",outcome="accepted"[^}]*\} 1/,
    );
    expect(exposition).toMatch(
      /tributary_webhook_to_kafka_seconds_count\{[^}]*endpoint="practice-update"[^}]*\} 1/,
    );
  });

  it('when the Content-Type is not JSON, then 415 before anything else (even an unsigned body)', async () => {
    const res = await fetch(`${base}${WEBHOOK_PATHS['order-placed']}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', details: {} } });
  });

  it('when the body exceeds the limit, then 413', async () => {
    const big = JSON.stringify({
      event: 'practice.updated',
      data: { practiceId: 'PR-1', pad: 'x'.repeat(2048) },
    });
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('when the signature is missing or wrong, then 401 with the reason, and the secret and signature are never logged', async () => {
    const missing = await fetch(`${base}${WEBHOOK_PATHS['practice-update']}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { code: 'UNAUTHORIZED', details: { reason: 'missing_signature' } },
    });
    const wrongSignature = signHmacHex('other', body);
    const wrong = await post(body, { 'x-webhook-signature': wrongSignature });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { details: { reason: 'bad_signature' } } });
    const logs = logLines.join('\n');
    expect(logs).toContain('"event":"webhook.rejected"');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(wrongSignature);
    expect(logs).not.toContain(signHmacHex(SECRET, body));
    expect(published).toHaveLength(0);
  });

  it('when the signed body is not JSON, then 400 INVALID_JSON', async () => {
    const res = await post('not json');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_JSON' } });
  });

  it('when the signed body fails its schema, then 400 naming the field', async () => {
    const res = await post(
      JSON.stringify({ eventType: 'order.placed', order: { userId: 1 } }),
      {},
      WEBHOOK_PATHS['order-placed'],
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { field: 'order.id' } },
    });
    expect(published).toHaveLength(0);
  });
});
