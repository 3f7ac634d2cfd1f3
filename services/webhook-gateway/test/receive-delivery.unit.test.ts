import { DependencyError, TributaryError } from '@tributary/core';
import { signHmacHex, signStandardWebhooks } from '../../../tools/sim-curagenesis/src/webhooks';
import { DedupWindow } from '../src/domain/dedup-window';
import type { OutgoingEvent } from '../src/domain/delivery-events';
import { createDeliveryReceiver, type DeliveryRequest } from '../src/domain/receive-delivery';
import { deferred } from './test-support';

const SECRET = 'receiver-secret';
const NOW = new Date('2026-02-03T04:05:06.000Z');
const body = JSON.stringify({ event: 'practice.updated', data: { practiceId: 'PR-000001', totalOrders: 3 } });

function hexRequest(raw: string | Buffer = body, secret = SECRET): DeliveryRequest {
  return {
    endpoint: 'practice-update',
    headers: { hexSignature: signHmacHex(secret, raw) },
    rawBody: Buffer.from(raw),
    receivedAt: NOW,
  };
}

function setup(publish: (events: OutgoingEvent[]) => Promise<void> = async () => undefined) {
  let clock = 0;
  const published: OutgoingEvent[][] = [];
  const receiver = createDeliveryReceiver({
    secret: SECRET,
    toleranceSec: 300,
    dedup: new DedupWindow({ windowMs: 1000, maxEntries: 100 }),
    monotonicMs: () => clock,
    publish: async (events) => {
      published.push(events);
      await publish(events);
    },
  });
  return { receiver, published, advance: (ms: number) => (clock += ms) };
}

describe('createDeliveryReceiver', () => {
  it('when no secret is given, then it refuses to exist', () => {
    expect(() =>
      createDeliveryReceiver({
        secret: '',
        toleranceSec: 300,
        dedup: new DedupWindow({ windowMs: 1, maxEntries: 1 }),
        publish: async () => undefined,
      }),
    ).toThrow(/CURAGENESIS_WEBHOOK_SECRET/);
  });

  it('when a signed delivery arrives, then 202 only after the publication resolved, with its sha256 delivery id', async () => {
    const ack = deferred();
    const { receiver, published } = setup(() => ack.promise);
    let settled = false;
    const pending = receiver.receive(hexRequest()).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(published).toHaveLength(1);
    expect(settled).toBe(false);
    ack.resolve();
    const result = await pending;
    expect(result).toMatchObject({
      outcome: 'accepted',
      status: 202,
      event: 'practice.updated',
      known: true,
      events: 2,
    });
    expect(result.outcome === 'accepted' && result.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('when a Standard Webhooks delivery arrives, then its webhook-id is the delivery id and its timestamp is recorded', async () => {
    const { receiver, published } = setup();
    const ts = Math.floor(NOW.getTime() / 1000);
    const result = await receiver.receive({
      endpoint: 'practice-update',
      headers: {
        webhookId: 'msg_42',
        webhookTimestamp: String(ts),
        webhookSignature: signStandardWebhooks(SECRET, 'msg_42', ts, body),
      },
      rawBody: Buffer.from(body),
      receivedAt: NOW,
    });
    expect(result).toMatchObject({ outcome: 'accepted', deliveryId: 'msg_42' });
    expect(published[0]![0]!.value).toMatchObject({
      signatureScheme: 'standard-webhooks',
      webhookTimestamp: NOW.toISOString(),
      receivedAt: NOW.toISOString(),
    });
  });

  it('when the same delivery comes three times, then 202, 200, 200 and one publication', async () => {
    const { receiver, published } = setup();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await receiver.receive(hexRequest()));
    expect(results.map((r) => r.status)).toEqual([202, 200, 200]);
    expect(new Set(results.map((r) => (r as { deliveryId: string }).deliveryId)).size).toBe(1);
    expect(published).toHaveLength(1);
  });

  it('when a repeat arrives after the dedup window, then it is accepted again (and the projector absorbs it)', async () => {
    const { receiver, published, advance } = setup();
    await receiver.receive(hexRequest());
    advance(1000);
    expect(await receiver.receive(hexRequest())).toMatchObject({ status: 202 });
    expect(published).toHaveLength(2);
  });

  it('when a repeat arrives while the first is still being published, then it waits and answers 200', async () => {
    const ack = deferred();
    const { receiver, published } = setup(() => ack.promise);
    const first = receiver.receive(hexRequest());
    const second = receiver.receive(hexRequest());
    await new Promise((r) => setImmediate(r));
    ack.resolve();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(200);
    expect(published).toHaveLength(1);
  });

  it('when the publication fails, then 503, nothing is remembered, and the retry is accepted', async () => {
    let fail = true;
    const { receiver, published } = setup(async () => {
      if (fail) throw new DependencyError('KAFKA_TRANSACTION_FAILED', 'broker down');
    });
    const failed = await receiver.receive(hexRequest());
    expect(failed).toMatchObject({ outcome: 'failed', status: 503 });
    fail = false;
    expect(await receiver.receive(hexRequest())).toMatchObject({ outcome: 'accepted', status: 202 });
    expect(published).toHaveLength(2);
  });

  it('when the publication fails for good (an event refused by its contract), then 500', async () => {
    const { receiver } = setup(async () => {
      throw new TributaryError('VALIDATION_FAILED', 'bad event');
    });
    expect(await receiver.receive(hexRequest())).toMatchObject({ outcome: 'failed', status: 500 });
  });

  it('when the signature is wrong, then 401 and nothing is published', async () => {
    const { receiver, published } = setup();
    expect(await receiver.receive(hexRequest(body, 'other'))).toMatchObject({
      outcome: 'unauthorized',
      status: 401,
      reason: 'bad_signature',
    });
    expect(published).toHaveLength(0);
  });

  it('when the signed body is not JSON, then 400 INVALID_JSON and nothing is published', async () => {
    const { receiver, published } = setup();
    expect(await receiver.receive(hexRequest('{"event":'))).toMatchObject({
      status: 400,
      code: 'INVALID_JSON',
    });
    // "\xff": a JSON string of a byte that is not UTF-8
    expect(await receiver.receive(hexRequest(Buffer.from([0x22, 0xff, 0x22])))).toMatchObject({
      status: 400,
      code: 'INVALID_JSON',
    });
    expect(published).toHaveLength(0);
  });

  it('when the signed body fails its schema, then 400 naming the field and nothing is published', async () => {
    const { receiver, published } = setup();
    const raw = JSON.stringify({ event: 'practice.updated', data: { totalOrders: 3 } });
    expect(await receiver.receive(hexRequest(raw))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'data.practiceId',
    });
    expect(published).toHaveLength(0);
  });

  it('when the event is unknown, then 202 with known=false and only its WebhookReceived', async () => {
    const { receiver, published } = setup();
    const raw = JSON.stringify({ event: 'practice.archived', data: { practiceId: 'PR-1' } });
    expect(await receiver.receive(hexRequest(raw))).toMatchObject({ status: 202, known: false, events: 1 });
    expect(published[0]).toHaveLength(1);
  });
});
