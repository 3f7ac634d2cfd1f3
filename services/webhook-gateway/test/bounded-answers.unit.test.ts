import { DependencyError } from '@tributary/core';
import { signHmacHex } from '../../../tools/sim-curagenesis/src/webhooks';
import { InMemoryDedupStore } from '../src/domain/dedup-store';
import { DedupWindow } from '../src/domain/dedup-window';
import type { OutgoingEvent } from '../src/domain/delivery-events';
import { createDeliveryReceiver, type DeliveryRequest } from '../src/domain/receive-delivery';
import { startWebhookRoutes, type WebhookRoutesServer } from './routes-server';
import { deferred } from './test-support';

/** Answers that never wait long: the shared dedup store, the publish deadline, and shedding above capacity. */
const SECRET = 'bounded-secret';
const body = (n: number) => JSON.stringify({ event: 'practice.updated', data: { practiceId: `PR-${n}` } });
const request = (raw: string): DeliveryRequest => ({
  endpoint: 'practice-update',
  headers: { hexSignature: signHmacHex(SECRET, raw) },
  rawBody: Buffer.from(raw),
  receivedAt: new Date(),
});
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('a receiver with a shared dedup store', () => {
  const now = 0;
  const shared = () => new InMemoryDedupStore({ windowMs: 60_000, claimTimeoutMs: 30_000 }, () => now);
  function replica(
    store: InMemoryDedupStore,
    owner: string,
    publish: (e: OutgoingEvent[]) => Promise<void>,
    timeoutMs?: number,
  ) {
    return createDeliveryReceiver({
      secret: SECRET,
      toleranceSec: 300,
      dedup: new DedupWindow({ windowMs: 60_000, maxEntries: 100 }),
      store: store.as(owner),
      publish,
      publishTimeoutMs: timeoutMs,
    });
  }

  it('when one replica accepted a delivery (or this one restarted), then another answers 200 duplicate and publishes nothing', async () => {
    const store = shared();
    const published: string[] = [];
    const publish = async (events: OutgoingEvent[]) => void published.push(events[0]!.key);
    expect(await replica(store, 'a', publish).receive(request(body(1)))).toMatchObject({ status: 202 });
    await tick();
    expect(await replica(store, 'b', publish).receive(request(body(1)))).toMatchObject({
      status: 200,
      outcome: 'duplicate',
    });
    expect(await replica(store, 'a', publish).receive(request(body(1)))).toMatchObject({ status: 200 });
    expect(published).toHaveLength(1);
  });

  it('when another replica is still publishing it, then 503 WEBHOOK_IN_PROGRESS, and 200 once it committed', async () => {
    const store = shared();
    const ack = deferred();
    const first = replica(store, 'a', () => ack.promise).receive(request(body(2)));
    await tick();
    const b = replica(store, 'b', async () => undefined);
    expect(await b.receive(request(body(2)))).toMatchObject({
      status: 503,
      error: { code: 'WEBHOOK_IN_PROGRESS' },
    });
    ack.resolve();
    expect(await first).toMatchObject({ status: 202 });
    await tick();
    expect(await b.receive(request(body(2)))).toMatchObject({ status: 200 });
  });

  it('when Kafka does not commit within the deadline, then 503 WEBHOOK_STORE_TIMEOUT at the deadline; a late commit makes the retry a duplicate', async () => {
    const store = shared();
    const ack = deferred();
    let calls = 0;
    const receiver = replica(store, 'a', () => (++calls === 1 ? ack.promise : Promise.resolve()), 50);
    const started = performance.now();
    const result = await receiver.receive(request(body(3)));
    expect(result).toMatchObject({ status: 503, error: { code: 'WEBHOOK_STORE_TIMEOUT', retriable: true } });
    expect(performance.now() - started).toBeLessThan(500);
    ack.resolve(); // the transaction committed after all
    await tick();
    expect(await receiver.receive(request(body(3)))).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(calls).toBe(1);
  });

  it('when the late publication fails instead, then the claim is released and the retry is published', async () => {
    const store = shared();
    const ack = deferred();
    let calls = 0;
    const receiver = replica(store, 'a', () => (++calls === 1 ? ack.promise : Promise.resolve()), 50);
    expect(await receiver.receive(request(body(4)))).toMatchObject({ status: 503 });
    ack.reject(new DependencyError('KAFKA_TRANSACTION_FAILED', 'brokers gone'));
    await tick();
    expect(await receiver.receive(request(body(4)))).toMatchObject({ status: 202 });
    expect(calls).toBe(2);
  });

  it('when the dedup store never answers, then 503 at the deadline and nothing is published', async () => {
    const published: OutgoingEvent[][] = [];
    const receiver = createDeliveryReceiver({
      secret: SECRET,
      toleranceSec: 300,
      dedup: new DedupWindow({ windowMs: 60_000, maxEntries: 100 }),
      store: {
        claim: () => new Promise(() => undefined),
        accepted: async () => undefined,
        release: async () => undefined,
      },
      publish: async (events) => void published.push(events),
      publishTimeoutMs: 50,
    });
    expect(await receiver.receive(request(body(5)))).toMatchObject({
      status: 503,
      error: { code: 'WEBHOOK_STORE_TIMEOUT' },
    });
    expect(published).toEqual([]);
  });
});

describe('webhook routes above capacity', () => {
  let routes: WebhookRoutesServer;
  const acks: ReturnType<typeof deferred>[] = [];

  beforeAll(async () => {
    routes = await startWebhookRoutes({
      secret: SECRET,
      publish: () => {
        const ack = deferred();
        acks.push(ack);
        return ack.promise;
      },
      limits: { maxInFlight: 2, retryAfterSec: 3 },
    });
  });
  afterAll(() => routes.server.stop());

  const post = (raw: string) => routes.post(raw);

  it('when as many deliveries as the capacity are in flight, then the next is answered 429 with Retry-After at once, and the others 202', async () => {
    const held = [post(body(10)), post(body(11))];
    while (acks.length < 2) await tick();
    const started = performance.now();
    const shed = await post(body(12));
    expect(shed.status).toBe(429);
    expect(shed.headers.get('retry-after')).toBe('3');
    expect(await shed.json()).toMatchObject({ error: { code: 'WEBHOOK_OVERLOADED' } });
    expect(performance.now() - started).toBeLessThan(500);
    for (const ack of acks) ack.resolve();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([202, 202]);
    // capacity is back
    const later = post(body(13));
    while (acks.length < 3) await tick();
    acks[2]!.resolve();
    expect((await later).status).toBe(202);
  });

  it('when /readyz or /metrics is asked on the public port, then 404 (they are on the internal port)', async () => {
    expect((await fetch(`${routes.base}/readyz`)).status).toBe(404);
    expect((await fetch(`${routes.base}/metrics`)).status).toBe(404);
    expect((await fetch(`${routes.base}/healthz`)).status).toBe(200);
  });
});
