import { Agent, request } from 'node:http';
import { loadConfig } from '@tributary/config';
import { TOPICS } from '@tributary/contracts';
import type { Metrics } from '@tributary/observability';
import { createTestDatabase, uniqueName, waitFor, type TestDatabase } from '@tributary/testkit';
import { signHmacHex } from '../../../tools/sim-curagenesis/src/webhooks';
import { webhookGatewayConfigSchema } from '../src/config';
import { WEBHOOK_PATHS } from '../src/entry-points/http';
import { collect, startGateway, strongSecret, type RunningGateway } from './gateway-harness';
import { cuttableKafka } from './test-support';

/**
 * The gateway under load against the REAL Kafka, registry and PostgreSQL: deliveries arriving
 * together share Kafka transactions (group commit over the producer pool), each still answered 202
 * only once committed; above capacity every sender gets a status at once (429 or 503 with
 * Retry-After), never a connection failure.
 */
const TAG = uniqueName('wgload');
const env = loadConfig(webhookGatewayConfigSchema, {
  ...process.env,
  CURAGENESIS_WEBHOOK_SECRET: strongSecret(),
});
let db: TestDatabase;
let reader: Awaited<ReturnType<typeof collect>>;
const gateways: RunningGateway[] = [];
let n = 0;

interface Answer {
  status: number;
  retryAfter?: string;
  body: { deliveryId?: string; error?: { code: string } };
  ms: number;
}

/** A sender with a bounded keep-alive pool: one answer (or the connection error) per delivery. */
function sender(base: string, secret: string, sockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const url = new URL(base);
  const post = (raw: string) =>
    new Promise<Answer>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: WEBHOOK_PATHS['practice-update'],
          headers: { 'content-type': 'application/json', 'x-webhook-signature': signHmacHex(secret, raw) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: res.headers['retry-after'],
              body: JSON.parse(text) as Answer['body'],
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(raw);
    });
  return { post, close: () => agent.destroy() };
}

const practice = () =>
  JSON.stringify({ event: 'practice.updated', data: { practiceId: `PR-${TAG}-${++n}`, userId: 'U-1' } });
const committedTransactions = async (metrics: Metrics) =>
  (await metrics.registry.getSingleMetric('tributary_kafka_transactions_total')?.get())?.values
    .filter((v) => v.labels.outcome === 'committed')
    .reduce((sum, v) => sum + v.value, 0) ?? 0;
const onTopic = (deliveryId: string) =>
  reader.collected.filter((m) => m.topic === TOPICS.curagenesisWebhooks && m.value.deliveryId === deliveryId);

async function gateway(vars: Record<string, string>, deps = {}): Promise<RunningGateway> {
  const g = await startGateway(
    { DATABASE_URL: db.url, WEBHOOK_GATEWAY_INSTANCE_ID: uniqueName('wg-load'), ...vars },
    deps,
  );
  gateways.push(g);
  return g;
}

beforeAll(async () => {
  db = await createTestDatabase('wgload');
  reader = await collect(env.KAFKA_BROKERS, env.SCHEMA_REGISTRY_URL, [TOPICS.curagenesisWebhooks], TAG);
});
afterAll(async () => {
  for (const g of gateways) await g.stop().catch(() => undefined);
  await reader?.stop();
  await db?.drop();
});

describe('webhook-gateway group commit', () => {
  it('when 300 deliveries arrive together, then each is answered 202 once committed, once on the topic, in at most half as many Kafka transactions as deliveries', async () => {
    const secret = strongSecret();
    const g = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_DELAY_SHED_MIN_IN_FLIGHT: '100000',
    });
    const before = await committedTransactions(g.metrics);
    const s = sender(g.base, secret, 100);
    const answers = await Promise.all(Array.from({ length: 300 }, () => s.post(practice())));
    s.close();
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
    const transactions = (await committedTransactions(g.metrics)) - before;
    expect(transactions).toBeGreaterThan(0);
    expect(transactions).toBeLessThanOrEqual(150);
    // Answered 202 only after its commit: every one is readable (read committed), exactly once.
    const ids = answers.map((a) => a.body.deliveryId!);
    await waitFor(() => ids.every((id) => onTopic(id).length > 0), {
      timeoutMs: 30_000,
      description: 'every accepted delivery on the topic',
    });
    expect(ids.filter((id) => onTopic(id).length !== 1)).toEqual([]);
  });
});

describe('webhook-gateway above capacity', () => {
  it('when a burst far above the in-flight bound arrives, then every delivery gets a status at once (202, or 429 with Retry-After), and every 202 is on the topic', async () => {
    const secret = strongSecret();
    const g = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_MAX_IN_FLIGHT: '10',
      WEBHOOK_RETRY_AFTER_SEC: '2',
      WEBHOOK_DELAY_SHED_MIN_IN_FLIGHT: '100000',
    });
    const s = sender(g.base, secret, 200);
    const answers = await Promise.all(Array.from({ length: 400 }, () => s.post(practice())));
    s.close();
    const shed = answers.filter((a) => a.status === 429);
    const accepted = answers.filter((a) => a.status === 202);
    expect(shed.length + accepted.length).toBe(400);
    expect(shed.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    for (const a of shed)
      expect(a).toMatchObject({ retryAfter: '2', body: { error: { code: 'WEBHOOK_OVERLOADED' } } });
    await waitFor(() => accepted.every((a) => onTopic(a.body.deliveryId!).length > 0), {
      timeoutMs: 30_000,
      description: 'every accepted delivery on the topic',
    });
  });

  it('when Kafka holds as many publications as the queue bound, then new deliveries are answered 503 with Retry-After at once, and taken again once Kafka is back', async () => {
    const kafka = await cuttableKafka();
    const secret = strongSecret();
    const g = await gateway(
      {
        CURAGENESIS_WEBHOOK_SECRET: secret,
        WEBHOOK_MAX_QUEUED_TO_KAFKA: '2',
        WEBHOOK_PUBLISH_TIMEOUT_MS: '500',
        WEBHOOK_RETRY_AFTER_SEC: '3',
      },
      { producerSocketFactory: kafka.socketFactory },
    );
    const s = sender(g.base, secret, 10);
    expect((await s.post(practice())).status).toBe(202);
    kafka.cut();
    // Two publications Kafka cannot take: answered 503 at the deadline, still queued behind it.
    const held = await Promise.all([s.post(practice()), s.post(practice())]);
    expect(held.map((a) => a.status)).toEqual([503, 503]);
    const refused = await s.post(practice());
    expect(refused).toMatchObject({
      status: 503,
      retryAfter: '3',
      body: { error: { code: 'KAFKA_UNAVAILABLE' } },
    });
    expect(refused.ms).toBeLessThan(300);

    kafka.restore();
    const raw = practice();
    const taken = await waitFor(
      async () => {
        const a = await s.post(raw);
        return a.status === 202 ? a : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'a delivery taken once Kafka is back' },
    );
    s.close();
    await waitFor(() => onTopic(taken.body.deliveryId!).length > 0, {
      timeoutMs: 30_000,
      description: 'committed',
    });
  });
});
