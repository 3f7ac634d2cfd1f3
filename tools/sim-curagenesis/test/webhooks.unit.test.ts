import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { parseWebhookBody } from '@tributary/contracts';
import {
  createCuragenesisSimulator,
  createTrickle,
  createWebhookSender,
  orderPlacedEvent,
  orderPlacedUpdateEvent,
  outOfOrderSequence,
  practiceActivatedEvent,
  practiceCreatedEvent,
  practiceUpdatedEvent,
  type SignatureScheme,
} from '../src';

const SECRET = 'whsec_' + Buffer.from('receiver-test-secret-32-bytes!!!').toString('base64');

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
}

/** A receiver that keeps the exact raw bytes and verifies like a strict gateway would. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const app = express();
  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.post('/api/webhooks/curagenesis/:endpoint', (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    received.push({ path: req.path, headers: req.headers, raw });
    res.status(202).json({ accepted: true, n: received.length });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hmacValid(r: Received, secret = SECRET): boolean {
  const given = Buffer.from(String(r.headers['x-webhook-signature'] ?? ''), 'utf8');
  const expected = Buffer.from(createHmac('sha256', secret).update(r.raw).digest('hex'), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function standardValid(r: Received, nowSec: number, secret = SECRET): boolean {
  const id = String(r.headers['webhook-id']);
  const ts = Number(r.headers['webhook-timestamp']);
  if (!Number.isInteger(ts) || Math.abs(nowSec - ts) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${ts}.`).update(r.raw).digest('base64')}`;
  return String(r.headers['webhook-signature'] ?? '')
    .split(' ')
    .includes(expected);
}

describe('webhook sender', () => {
  const sim = createCuragenesisSimulator({ seed: 11, practices: 50, orders: 600 });
  const dataset = sim.dataset;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });
  const sender = (scheme: SignatureScheme = 'both') =>
    createWebhookSender({ targetBaseUrl: `${receiver.url}/`, secret: SECRET, scheme });
  const nowSec = () => Math.floor(Date.now() / 1000);

  test('when a delivery is sent, then the receiver gets the exact raw body and both signatures verify', async () => {
    const delivery = practiceUpdatedEvent(dataset, 'PR-000004');
    const [attempt] = await sender('both').send(delivery);
    expect(attempt).toMatchObject({ status: 202, body: { accepted: true } });
    expect(attempt!.latencyMs).toBeGreaterThanOrEqual(0);
    const got = receiver.received[0]!;
    expect(got.path).toBe('/api/webhooks/curagenesis/practice-update');
    expect(got.raw.toString('utf8')).toBe(JSON.stringify(delivery.body));
    expect(got.headers['content-type']).toBe('application/json');
    expect(hmacValid(got)).toBe(true);
    expect(standardValid(got, nowSec())).toBe(true);
    expect(got.headers['webhook-id']).toBe(delivery.id);
  });

  test('when the scheme is hmac only or standard only, then only that scheme’s headers are sent', async () => {
    await sender('hmac').send(practiceUpdatedEvent(dataset, 'PR-000001'));
    await sender('standard').send(practiceUpdatedEvent(dataset, 'PR-000001'));
    const [hmacOnly, standardOnly] = receiver.received;
    expect(hmacOnly!.headers).toHaveProperty('x-webhook-signature');
    expect(hmacOnly!.headers).not.toHaveProperty('webhook-signature');
    expect(standardOnly!.headers).not.toHaveProperty('x-webhook-signature');
    expect(standardValid(standardOnly!, nowSec())).toBe(true);
  });

  test('when the body is tampered, then the body differs from the signed one and neither signature verifies', async () => {
    const delivery = practiceUpdatedEvent(dataset, 'PR-000002');
    await sender().send(delivery, { tamper: true });
    const got = receiver.received[0]!;
    expect(got.raw.toString()).not.toBe(JSON.stringify(delivery.body));
    expect(JSON.parse(got.raw.toString()).data.totalOrders).toBe(
      (delivery.body.data as { totalOrders: number }).totalOrders + 1000,
    );
    expect(hmacValid(got)).toBe(false);
    expect(standardValid(got, nowSec())).toBe(false);
    // the signature is the one of the original body
    expect(got.headers['x-webhook-signature']).toBe(
      createHmac('sha256', SECRET).update(JSON.stringify(delivery.body)).digest('hex'),
    );
  });

  test('when the signature is bad, then it is well-formed but does not verify', async () => {
    await sender().send(practiceUpdatedEvent(dataset, 'PR-000002'), { badSignature: true });
    const got = receiver.received[0]!;
    expect(got.headers['x-webhook-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(hmacValid(got)).toBe(false);
    expect(standardValid(got, nowSec())).toBe(false);
  });

  test('when the signature is missing, then no signature header is sent', async () => {
    await sender().send(practiceUpdatedEvent(dataset, 'PR-000002'), { noSignature: true });
    const got = receiver.received[0]!;
    expect(got.headers).not.toHaveProperty('x-webhook-signature');
    expect(got.headers).not.toHaveProperty('webhook-signature');
    expect(got.headers).toHaveProperty('webhook-id');
  });

  test('when the timestamp is stale, then the signature is valid for it but the timestamp is outside 5 minutes', async () => {
    await sender('standard').send(practiceUpdatedEvent(dataset, 'PR-000002'), { staleTimestampSec: 600 });
    const got = receiver.received[0]!;
    const ts = Number(got.headers['webhook-timestamp']);
    expect(nowSec() - ts).toBeGreaterThanOrEqual(600);
    expect(standardValid(got, nowSec())).toBe(false);
    expect(standardValid(got, ts)).toBe(true); // signature itself is right
    await expect(
      sender('hmac').send(practiceUpdatedEvent(dataset, 'PR-000002'), { staleTimestampSec: 600 }),
    ).rejects.toThrow(/standard/);
  });

  test('when duplicates are asked for, then identical requests (id, timestamp, signature, body) arrive', async () => {
    const attempts = await sender().send(orderPlacedEvent(dataset, 'ORD-0000010'), { duplicateCount: 2 });
    expect(attempts).toHaveLength(3);
    expect(receiver.received).toHaveLength(3);
    const [a, b, c] = receiver.received;
    for (const r of [b!, c!]) {
      expect(r.raw.equals(a!.raw)).toBe(true);
      for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-webhook-signature']) {
        expect(r.headers[h]).toBe(a!.headers[h]);
      }
    }
  });

  test('when a content type is given, then it is sent as is', async () => {
    await sender().send(practiceUpdatedEvent(dataset, 'PR-000002'), { contentType: 'text/plain' });
    expect(receiver.received[0]!.headers['content-type']).toBe('text/plain');
  });

  test('when events are built, then their bodies follow the CRM shapes and agree with the data set', () => {
    const practice = [...dataset.iteratePractices()].find(
      (p) => p.activatedAt !== null && p.totalOrders > 0,
    )!;
    expect(practiceUpdatedEvent(dataset, practice.practiceId).body).toEqual({
      event: 'practice.updated',
      data: {
        userId: practice.userId,
        practiceId: practice.practiceId,
        totalOrders: practice.totalOrders,
        state: practice.state,
        specialty: practice.specialty,
        salesRep: practice.salesRep,
      },
    });
    expect(practiceCreatedEvent(dataset, practice.practiceId).body.event).toBe('practice.created');
    expect(practiceActivatedEvent(dataset, practice.practiceId).body).toEqual({
      event: 'practice.activated',
      data: {
        userId: practice.userId,
        practiceId: practice.practiceId,
        activatedAt: practice.activatedAtIso,
      },
    });
    expect(practiceActivatedEvent(dataset, practice.practiceId, 'epoch').body.data).toMatchObject({
      activatedAt: practice.activatedAt,
    });
    const order = dataset.ordersOfPractice(practice.practiceId)[0]!;
    expect(orderPlacedUpdateEvent(dataset, order.order_id).body).toEqual({
      event: 'order.placed',
      data: {
        userId: practice.userId,
        orderId: order.order_id,
        orderAmount: order.total_amount,
        orderDate: order.order_date,
      },
    });
    const full = orderPlacedEvent(dataset, order.order_id);
    expect(full.endpoint).toBe('order-placed');
    expect(full.body).toEqual({
      eventType: 'order.placed',
      order: {
        id: order.order_id,
        userId: practice.userId,
        practiceId: practice.practiceId,
        practiceName: dataset.practiceName(practice.practiceId),
        orderDate: order.order_date,
        totalAmount: order.total_amount,
        status: 'placed',
        items: dataset.orderItems(order.order_id),
      },
    });
    expect(orderPlacedEvent(dataset, order.order_id).id).toBe(full.id); // same event, same webhook-id
  });

  test('when any event is built, then the gateway contract parses it as a known event', () => {
    const practice = [...dataset.iteratePractices()].find(
      (p) => p.activatedAt !== null && p.totalOrders > 0,
    )!;
    const order = dataset.ordersOfPractice(practice.practiceId)[0]!;
    const deliveries = [
      practiceCreatedEvent(dataset, practice.practiceId),
      practiceUpdatedEvent(dataset, practice.practiceId),
      practiceActivatedEvent(dataset, practice.practiceId),
      practiceActivatedEvent(dataset, practice.practiceId, 'epoch'),
      orderPlacedUpdateEvent(dataset, order.order_id),
      orderPlacedEvent(dataset, order.order_id),
      ...outOfOrderSequence(dataset, practice.practiceId),
    ];
    for (const d of deliveries) {
      expect(parseWebhookBody(d.endpoint, d.body)).toMatchObject({ ok: true, known: true, event: d.event });
    }
  });

  test('when the out-of-order helper is used, then practice.updated comes before an older practice.created', () => {
    const practice = [...dataset.iteratePractices()].find((p) => p.totalOrders > 0)!;
    const [first, second] = outOfOrderSequence(dataset, practice.practiceId);
    expect(first!.body).toMatchObject({
      event: 'practice.updated',
      data: { totalOrders: practice.totalOrders },
    });
    expect(second!.body).toMatchObject({
      event: 'practice.created',
      data: { practiceId: practice.practiceId, totalOrders: 0 },
    });
    expect(first!.id).not.toBe(second!.id);
  });

  /** A fresh seeded simulator (seed 12) trickling real events to the receiver at 40/s for `ms`. */
  async function trickleFor(ms: number) {
    const live = createCuragenesisSimulator({ seed: 12, practices: 40, orders: 400 });
    const abort = new AbortController();
    const trickle = createTrickle({
      sender: sender('both'),
      dataset: live.dataset,
      mutate: live.mutate,
      ratePerSec: 40,
      signal: abort.signal,
    });
    await new Promise((r) => setTimeout(r, ms));
    abort.abort();
    return { live, counts: await trickle.done };
  }

  test('when a trickle runs with mutate, then it sends signed, real events at about the rate and the API agrees', async () => {
    const { live, counts } = await trickleFor(500);
    expect(counts.sent).toBeGreaterThanOrEqual(10);
    expect(counts.sent).toBeLessThanOrEqual(30);
    expect(counts.accepted).toBe(counts.sent);
    expect(Object.values(counts.byEvent).reduce((a, b) => a + b, 0)).toBe(counts.sent);
    expect(receiver.received).toHaveLength(counts.sent);
    for (const r of receiver.received) {
      expect(hmacValid(r)).toBe(true);
      const body = JSON.parse(r.raw.toString());
      const orderId = body.order?.id ?? (body.event === 'order.placed' ? body.data.orderId : undefined);
      if (orderId !== undefined) expect(live.dataset.orderById(orderId)).toBeDefined();
    }
    expect(live.dataset.countOrders()).toBe(400 + (counts.byEvent['order.placed'] ?? 0));
  });

  test('when a seeded simulator restarts and trickles the same events again, then every delivery has a new webhook-id', async () => {
    const idsOfOneRun = async (): Promise<string[]> => {
      const start = receiver.received.length;
      await trickleFor(300);
      return receiver.received.slice(start).map((r) => String(r.headers['webhook-id']));
    };
    const first = await idsOfOneRun();
    const second = await idsOfOneRun();
    expect(first.length).toBeGreaterThan(3);
    expect(second.length).toBeGreaterThan(3);
    expect(new Set(first).size).toBe(first.length);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
  });

  test('when the target is unreachable, then send rejects with a retriable error and the trickle counts failures', async () => {
    const dead = createWebhookSender({ targetBaseUrl: 'http://127.0.0.1:1', secret: 's', timeoutMs: 2000 });
    await expect(dead.send(practiceUpdatedEvent(dataset, 'PR-000001'))).rejects.toMatchObject({
      retriable: true,
    });
    const abort = new AbortController();
    const errors: unknown[] = [];
    const trickle = createTrickle({
      sender: dead,
      dataset,
      ratePerSec: 50,
      signal: abort.signal,
      onError: (e) => errors.push(e),
    });
    await new Promise((r) => setTimeout(r, 150));
    abort.abort();
    const counts = await trickle.done;
    expect(counts.failed).toBe(counts.sent);
    expect(errors.length).toBe(counts.failed);
  });
});
