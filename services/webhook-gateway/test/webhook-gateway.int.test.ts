import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Consumer, Kafka } from 'kafkajs';
import { loadConfig } from '@tributary/config';
import { contractFor, TOPICS, type RecordObserved, type WebhookReceived } from '@tributary/contracts';
import { createHttpService, type HttpService } from '@tributary/http';
import { createKafka, SchemaCodec } from '@tributary/kafka';
import { createLogger, createMetrics } from '@tributary/observability';
import type { RunningService } from '@tributary/service';
import { uniqueName, waitFor } from '@tributary/testkit';
import {
  createDataset,
  createWebhookSender,
  orderPlacedEvent,
  orderPlacedUpdateEvent,
  practiceActivatedEvent,
  practiceUpdatedEvent,
  signHmacHex,
  type SendAttempt,
  type SendOptions,
  type WebhookDelivery,
  type WebhookSender,
} from '../../../tools/sim-curagenesis/src';
import { startWebhookGateway } from '../src/app';
import { webhookGatewayConfigSchema } from '../src/config';
import { WEBHOOK_PATHS } from '../src/entry-points/http';

/**
 * The gateway in-process against the REAL Kafka and schema registry, fed by the simulator's webhook
 * sender. Topics are the real, shared ones: every record this suite sends carries TAG in its ids,
 * and a read-committed consumer started at the suite's start offsets collects what carries it.
 */
const ROOT = join(__dirname, '..', '..', '..');
/** 32 random bytes: a secret the gateway accepts outside demo mode. */
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const TAG = uniqueName('wgit');
const TOPICS_READ = [TOPICS.curagenesisWebhooks, TOPICS.curagenesisPractices, TOPICS.curagenesisOrders];

type Decoded = { topic: string; key: string; value: WebhookReceived | RecordObserved };

const dataset = createDataset({ seed: 5, practices: 60, orders: 600 });
const practice = [...dataset.iteratePractices()].find((p) => p.activatedAt !== null)!;
const order = dataset.ordersOfPractice(practice.practiceId)[0]!;
let counter = 0;

/** The delivery with its record id and webhook-id made unique to this suite (and this call). */
function fresh(delivery: WebhookDelivery): WebhookDelivery {
  const suffix = `${TAG}-${++counter}`;
  const body = structuredClone(delivery.body) as {
    data?: Record<string, unknown>;
    order?: Record<string, unknown>;
  };
  if (body.data?.practiceId !== undefined) body.data.practiceId = `${String(body.data.practiceId)}-${suffix}`;
  if (body.data?.orderId !== undefined) body.data.orderId = `${String(body.data.orderId)}-${suffix}`;
  if (body.order?.id !== undefined) body.order.id = `${String(body.order.id)}-${suffix}`;
  return { ...delivery, id: `msg_${suffix}`, body };
}

const sha256Id = (raw: string) => `sha256:${createHash('sha256').update(raw).digest('hex')}`;

describe('webhook-gateway against Kafka', () => {
  let kafka: Kafka;
  let codec: SchemaCodec;
  let running: RunningService;
  let http: HttpService;
  let base: string;
  let collector: Consumer;
  const collected: Decoded[] = [];
  const refusedIds: string[] = [];
  const senders: Partial<Record<'hmac' | 'standard' | 'both', WebhookSender>> = {};
  const sender = (scheme: 'hmac' | 'standard' | 'both') =>
    (senders[scheme] ??= createWebhookSender({ targetBaseUrl: base, secret: SECRET, scheme }));

  async function endOffsets(topic: string): Promise<string> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets
        .sort((a, b) => a.partition - b.partition)
        .map((o) => `${o.partition}:${o.high}`)
        .join(',');
    } finally {
      await admin.disconnect();
    }
  }

  const ofDelivery = (topic: string, deliveryId: string) =>
    collected.filter((m) => m.topic === topic && m.value.deliveryId === deliveryId);

  /** Waits until the delivery's WebhookReceived (and its RecordObserved on `entityTopic`) are read. */
  async function committed(
    deliveryId: string,
    entityTopic?: string,
  ): Promise<{ received: WebhookReceived; observed?: RecordObserved }> {
    return waitFor(
      () => {
        const [received] = ofDelivery(TOPICS.curagenesisWebhooks, deliveryId);
        const observed = entityTopic ? ofDelivery(entityTopic, deliveryId)[0] : undefined;
        if (!received || (entityTopic && !observed)) return undefined;
        return {
          received: received.value as WebhookReceived,
          observed: observed?.value as RecordObserved | undefined,
        };
      },
      { timeoutMs: 30_000, description: `committed events of ${deliveryId}` },
    );
  }

  beforeAll(async () => {
    const config = loadConfig(webhookGatewayConfigSchema, {
      ...process.env,
      CURAGENESIS_WEBHOOK_SECRET: SECRET,
      WEBHOOK_GATEWAY_INSTANCE_ID: uniqueName('webhook-gateway-it'),
      LOG_LEVEL: 'error',
    });
    const logger = createLogger('webhook-gateway', { level: 'error' });
    const metrics = createMetrics('webhook-gateway');
    running = await startWebhookGateway({ config, logger, metrics });
    http = createHttpService({
      service: 'webhook-gateway',
      logger,
      metrics,
      readiness: running.readiness,
      configure: running.configure,
      jsonBody: running.jsonBody,
    });
    base = `http://127.0.0.1:${await http.start(0, '127.0.0.1')}`;

    kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: uniqueName('webhook-gateway-it') });
    codec = new SchemaCodec({ url: config.SCHEMA_REGISTRY_URL });
    const admin = kafka.admin();
    await admin.connect();
    const start = new Map(
      await Promise.all(TOPICS_READ.map(async (t) => [t, await admin.fetchTopicOffsets(t)] as const)),
    );
    await admin.disconnect();
    collector = kafka.consumer({
      groupId: uniqueName('webhook-gateway-it-reader'),
      readUncommitted: false,
      maxWaitTimeInMs: 100,
    });
    await collector.connect();
    await collector.subscribe({ topics: TOPICS_READ });
    await collector.run({
      eachMessage: async ({ topic, message }) => {
        const key = message.key?.toString() ?? '';
        if (!key.includes(TAG) && !key.startsWith('sha256:')) return;
        const value = (await codec.decode(message.value, contractFor(topic))) as
          WebhookReceived | RecordObserved;
        if (JSON.stringify(value).includes(TAG)) collected.push({ topic, key, value });
      },
    });
    for (const [topic, offsets] of start) {
      for (const { partition, high } of offsets) collector.seek({ topic, partition, offset: high });
    }
  });

  afterAll(async () => {
    await collector?.disconnect();
    await http?.stop();
    await running?.stop();
  });

  it('when asked /readyz, then Kafka is reachable and the producer ready', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { kafka: 'ok', producer: 'ok' } });
  });

  it('when a signed practice.updated arrives (both schemes), then 202 and its WebhookReceived and RecordObserved are committed', async () => {
    const delivery = fresh(practiceUpdatedEvent(dataset, practice.practiceId));
    const [attempt] = await sender('both').send(delivery);
    expect(attempt).toMatchObject({ status: 202, body: { status: 'accepted', deliveryId: delivery.id } });
    const { received, observed } = await committed(delivery.id, TOPICS.curagenesisPractices);
    expect(received).toMatchObject({
      type: 'WebhookReceived',
      deliveryId: delivery.id,
      endpoint: 'practice-update',
      event: 'practice.updated',
      known: true,
      signatureScheme: 'standard-webhooks',
      body: delivery.body,
    });
    expect(received.webhookTimestamp).not.toBeNull();
    const practiceId = (delivery.body as { data: { practiceId: string } }).data.practiceId;
    expect(observed).toMatchObject({
      type: 'RecordObserved',
      source: 'curagenesis',
      entity: 'practices',
      id: practiceId,
      origin: 'webhook',
      deliveryId: delivery.id,
      syncId: null,
      sourceUpdatedAt: null,
      observedAt: received.receivedAt,
      payload: { practiceId, salesRep: practice.salesRep, state: practice.state },
    });
    expect(collected.find((m) => m.value === observed)?.key).toBe(practiceId);
  });

  it('when a full order.placed arrives signed with hex only, then its delivery id is the body hash and its order carries the items', async () => {
    const delivery = fresh(orderPlacedEvent(dataset, order.order_id));
    const [attempt] = await sender('hmac').send(delivery);
    const deliveryId = sha256Id(attempt!.rawBody);
    expect(attempt).toMatchObject({ status: 202, body: { status: 'accepted', deliveryId } });
    const { received, observed } = await committed(deliveryId, TOPICS.curagenesisOrders);
    expect(received).toMatchObject({
      endpoint: 'order-placed',
      signatureScheme: 'hmac-sha256-hex',
      webhookTimestamp: null,
    });
    expect(observed).toMatchObject({
      entity: 'orders',
      sourceUpdatedAt: order.order_date,
      payload: {
        order_id: (delivery.body as { order: { id: string } }).order.id,
        practice_id: practice.practiceId,
        total_amount: order.total_amount,
        items: dataset.orderItems(order.order_id),
      },
    });
  });

  it('when practice.activated and a short order.placed arrive (standard scheme), then each carries its own source time', async () => {
    const activated = fresh(practiceActivatedEvent(dataset, practice.practiceId, 'epoch'));
    const placed = fresh(orderPlacedUpdateEvent(dataset, order.order_id));
    expect((await sender('standard').send(activated))[0]!.status).toBe(202);
    expect((await sender('standard').send(placed))[0]!.status).toBe(202);
    expect((await committed(activated.id, TOPICS.curagenesisPractices)).observed).toMatchObject({
      sourceUpdatedAt: practice.activatedAtIso,
      payload: { activatedAt: practice.activatedAt, activatedAtIso: practice.activatedAtIso },
    });
    expect((await committed(placed.id, TOPICS.curagenesisOrders)).observed).toMatchObject({
      sourceUpdatedAt: order.order_date,
      payload: { total_amount: order.total_amount, order_date: order.order_date },
    });
  });

  type Refusal = [
    name: string,
    status: number,
    code: string,
    send: () => Promise<{ status: number; body: unknown }>,
  ];
  const viaSender =
    (
      scheme: 'hmac' | 'standard' | 'both',
      options: SendOptions,
      delivery = () => fresh(practiceUpdatedEvent(dataset, practice.practiceId)),
    ) =>
    async () => {
      const d = delivery();
      refusedIds.push(d.id);
      const [attempt] = (await sender(scheme).send(d, options)) as [SendAttempt];
      refusedIds.push(sha256Id(attempt.rawBody));
      return attempt;
    };
  const signedRaw =
    (raw: string, contentType = 'application/json') =>
    async () => {
      refusedIds.push(sha256Id(raw));
      const res = await fetch(`${base}${WEBHOOK_PATHS['practice-update']}`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-webhook-signature': signHmacHex(SECRET, raw) },
        body: raw,
      });
      return { status: res.status, body: (await res.json()) as unknown };
    };
  const oversized = () => {
    const d = fresh(practiceUpdatedEvent(dataset, practice.practiceId));
    return { ...d, body: { ...d.body, padding: 'x'.repeat(300 * 1024) } };
  };

  it.each<Refusal>([
    ['a wrong signature (hex)', 401, 'UNAUTHORIZED', viaSender('hmac', { badSignature: true })],
    ['a wrong signature (both)', 401, 'UNAUTHORIZED', viaSender('both', { badSignature: true })],
    ['no signature (hex)', 401, 'UNAUTHORIZED', viaSender('hmac', { noSignature: true })],
    ['no signature (standard)', 401, 'UNAUTHORIZED', viaSender('standard', { noSignature: true })],
    ['a tampered body', 401, 'UNAUTHORIZED', viaSender('both', { tamper: true })],
    ['a stale timestamp', 401, 'UNAUTHORIZED', viaSender('both', { staleTimestampSec: 600 })],
    ['an oversized body', 413, 'PAYLOAD_TOO_LARGE', viaSender('hmac', {}, oversized)],
    ['a wrong content type', 415, 'UNSUPPORTED_MEDIA_TYPE', viaSender('hmac', { contentType: 'text/plain' })],
    ['a signed body that is not JSON', 400, 'INVALID_JSON', signedRaw(`not json ${TAG}`)],
    [
      'a signed body failing its schema',
      400,
      'VALIDATION_FAILED',
      signedRaw(JSON.stringify({ event: 'practice.updated', data: { state: 'UT', tag: TAG } })),
    ],
  ])('when a delivery has %s, then %i and nothing is published', async (_name, status, code, send) => {
    const before = await endOffsets(TOPICS.curagenesisWebhooks);
    const attempt = await send();
    expect(attempt.status).toBe(status);
    expect(attempt.body).toMatchObject({
      error: { code, message: expect.any(String), details: expect.any(Object) },
    });
    expect(await endOffsets(TOPICS.curagenesisWebhooks)).toBe(before);
  });

  it('when the schema fails, then the answer names the failing field', async () => {
    const res = await signedRaw(JSON.stringify({ event: 'practice.activated', data: { userId: TAG } }))();
    expect(res).toMatchObject({ status: 400, body: { error: { details: { field: 'data.practiceId' } } } });
  });

  it('when the same delivery is sent three times, then 202, 200, 200 and one WebhookReceived on the topic', async () => {
    const delivery = fresh(practiceUpdatedEvent(dataset, practice.practiceId));
    const attempts = await sender('both').send(delivery, { duplicateCount: 2 });
    expect(attempts.map((a) => a.status)).toEqual([202, 200, 200]);
    expect(attempts[1]!.body).toEqual({ status: 'duplicate', deliveryId: delivery.id });
    await committed(delivery.id, TOPICS.curagenesisPractices);
    // The repeats were answered after the first was acknowledged: had one been published, it would be here.
    const later = fresh(practiceUpdatedEvent(dataset, practice.practiceId));
    expect((await sender('both').send(later))[0]!.status).toBe(202);
    await committed(later.id, TOPICS.curagenesisPractices);
    expect(ofDelivery(TOPICS.curagenesisWebhooks, delivery.id)).toHaveLength(1);
    expect(ofDelivery(TOPICS.curagenesisPractices, delivery.id)).toHaveLength(1);
  });

  it('when the event type is unknown, then 202 and a WebhookReceived with known=false, and no record event', async () => {
    const delivery: WebhookDelivery = {
      endpoint: 'practice-update',
      event: 'practice.updated',
      id: `msg_${TAG}-unknown`,
      body: { event: 'practice.archived', data: { practiceId: `PR-${TAG}`, reason: 'closed' } },
    };
    const [attempt] = await sender('standard').send(delivery);
    expect(attempt).toMatchObject({ status: 202, body: { status: 'accepted', deliveryId: delivery.id } });
    const { received } = await committed(delivery.id);
    expect(received).toMatchObject({ event: 'practice.archived', known: false, body: delivery.body });
    refusedIds.push(delivery.id); // no record event may carry it
  });

  it('when the suite ends, then no record event carries a refused or unknown delivery', async () => {
    const sentinel = fresh(practiceUpdatedEvent(dataset, practice.practiceId));
    expect((await sender('both').send(sentinel))[0]!.status).toBe(202);
    await committed(sentinel.id, TOPICS.curagenesisPractices);
    const leaked = collected.filter(
      (m) => refusedIds.includes(m.value.deliveryId ?? '') && m.value.type === 'RecordObserved',
    );
    expect(leaked).toEqual([]);
    const refusedReceived = collected.filter(
      (m) => m.value.type === 'WebhookReceived' && refusedIds.includes(m.value.deliveryId) && m.value.known,
    );
    expect(refusedReceived).toEqual([]);
  });

  it('when started without CURAGENESIS_WEBHOOK_SECRET, then it exits 78 naming the variable', async () => {
    const env = { ...process.env };
    delete env.CURAGENESIS_WEBHOOK_SECRET;
    const child = spawn('npx', ['tsx', 'services/webhook-gateway/src/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(78);
    expect(stderr).toMatch(
      /webhook-gateway: configuration error: CURAGENESIS_WEBHOOK_SECRET: is required but not set/,
    );
  });
});
