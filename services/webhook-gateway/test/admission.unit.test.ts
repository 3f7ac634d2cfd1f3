import { createAdmissionControl, type AdmissionLimits } from '../src/domain/admission';
import { watchEventLoopDelay } from '../src/entry-points/event-loop-delay';
import { startWebhookRoutes, type WebhookRoutesServer } from './routes-server';

const SECRET = 'admission-secret';
const limits = (over: Partial<AdmissionLimits> = {}): AdmissionLimits => ({
  maxInFlight: 2,
  maxEventLoopDelayMs: 100,
  delayShedMinInFlight: 0,
  maxQueuedToKafka: 10,
  ...over,
});

describe('admission control', () => {
  it('when deliveries in flight reach the bound, then the next is refused 429 until one is released', () => {
    const admission = createAdmissionControl(limits(), { eventLoopDelayMs: () => 0, queuedToKafka: () => 0 });
    const a = admission.admit();
    const b = admission.admit();
    expect([a.admitted, b.admitted]).toEqual([true, true]);
    expect(admission.admit()).toMatchObject({
      admitted: false,
      status: 429,
      code: 'WEBHOOK_OVERLOADED',
      reason: 'in_flight',
    });
    if (a.admitted) {
      a.release();
      a.release(); // twice counts once
    }
    expect(admission.inFlight()).toBe(1);
    expect(admission.admit().admitted).toBe(true);
    expect(admission.admit().admitted).toBe(false);
  });

  it('when the event loop is late beyond the bound, then 429 at once, and admitted again once it is not', () => {
    let delay = 250;
    const admission = createAdmissionControl(limits(), {
      eventLoopDelayMs: () => delay,
      queuedToKafka: () => 0,
    });
    expect(admission.admit()).toMatchObject({
      admitted: false,
      status: 429,
      reason: 'event_loop_delay',
      details: { eventLoopDelayMs: 250, maxEventLoopDelayMs: 100 },
    });
    expect(admission.inFlight()).toBe(0);
    delay = 20;
    expect(admission.admit().admitted).toBe(true);
  });

  it('when the publications waiting on Kafka reach the bound, then 503 KAFKA_UNAVAILABLE at once', () => {
    const admission = createAdmissionControl(limits(), {
      eventLoopDelayMs: () => 0,
      queuedToKafka: () => 10,
    });
    expect(admission.admit()).toMatchObject({
      admitted: false,
      status: 503,
      code: 'KAFKA_UNAVAILABLE',
      reason: 'kafka_queue',
    });
  });

  it("when the event loop is late but few deliveries are in flight here, then they are admitted (the delay is not this gateway's doing)", () => {
    const admission = createAdmissionControl(limits({ maxInFlight: 10, delayShedMinInFlight: 2 }), {
      eventLoopDelayMs: () => 500,
      queuedToKafka: () => 0,
    });
    expect(admission.admit().admitted).toBe(true);
    expect(admission.admit().admitted).toBe(true);
    expect(admission.admit()).toMatchObject({ admitted: false, reason: 'event_loop_delay' });
  });
});

describe('the event-loop delay watch', () => {
  it('when the loop is blocked, then the delay seen is about as long, and it falls back once the loop runs freely', async () => {
    const watch = watchEventLoopDelay(10, 3);
    try {
      await new Promise((r) => setTimeout(r, 50));
      const blockedUntil = performance.now() + 200;
      while (performance.now() < blockedUntil) {
        /* a saturated CPU */
      }
      expect(watch.recentMs()).toBeGreaterThanOrEqual(180);
      await new Promise((r) => setTimeout(r, 150));
      expect(watch.recentMs()).toBeLessThan(150);
    } finally {
      watch.stop();
    }
  });
});

describe('webhook routes with admission control', () => {
  let routes: WebhookRoutesServer;
  let delay = 0;
  let queued = 0;
  const published: unknown[] = [];

  beforeAll(async () => {
    const admission = createAdmissionControl(limits({ maxInFlight: 100 }), {
      eventLoopDelayMs: () => delay,
      queuedToKafka: () => queued,
    });
    routes = await startWebhookRoutes({
      secret: SECRET,
      publish: async (events) => void published.push(events),
      limits: { admission, retryAfterSec: 4 },
    });
  });
  afterAll(() => routes.server.stop());

  const post = (n: number) =>
    routes.post(JSON.stringify({ event: 'practice.updated', data: { practiceId: `PR-adm-${n}` } }));

  it('when the gateway is saturated, then a delivery is answered 429 with Retry-After and nothing is published', async () => {
    delay = 500;
    const res = await post(1);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(await res.json()).toMatchObject({
      error: { code: 'WEBHOOK_OVERLOADED', details: { eventLoopDelayMs: 500 } },
    });
    expect(published).toHaveLength(0);
    delay = 0;
    expect((await post(1)).status).toBe(202);
  });

  it('when Kafka is behind, then a delivery is answered 503 with Retry-After at once and nothing is published', async () => {
    queued = 10;
    const before = published.length;
    const res = await post(2);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('4');
    expect(await res.json()).toMatchObject({ error: { code: 'KAFKA_UNAVAILABLE' } });
    expect(published).toHaveLength(before);
    queued = 0;
    expect((await post(2)).status).toBe(202);
  });
});
