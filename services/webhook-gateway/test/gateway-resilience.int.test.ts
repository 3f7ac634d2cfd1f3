import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '@tributary/config';
import { TOPICS, type RecordObserved, type WebhookReceived } from '@tributary/contracts';
import { createPool, migrate, withTransaction } from '@tributary/db';
import { createTestDatabase, uniqueName, waitFor, type TestDatabase } from '@tributary/testkit';
import type { Pool } from 'pg';
import { signHmacHex, signStandardWebhooks } from '../../../tools/sim-curagenesis/src/webhooks';
import { projectBatch } from '../../projector/src/projections';
import { webhookGatewayConfigSchema } from '../src/config';
import { WEBHOOK_PATHS } from '../src/entry-points/http';
import { collect, startGateway, strongSecret, type RunningGateway } from './gateway-harness';
import { cuttableKafka } from './test-support';

/**
 * The gateway's guarantees against the REAL Kafka, registry and PostgreSQL: dedup that survives a
 * restart and is shared by replicas, secret rotation, bounded answers when Kafka is unreachable, load
 * shedding, and (with the projector's projections) out-of-order practice webhooks that never regress
 * a row. Each suite has its own database (the dedup table) and tags its records.
 */
const TAG = uniqueName('wgres');
const TOPICS_READ = [TOPICS.curagenesisWebhooks, TOPICS.curagenesisPractices];
const env = loadConfig(webhookGatewayConfigSchema, {
  ...process.env,
  CURAGENESIS_WEBHOOK_SECRET: strongSecret(),
});
let db: TestDatabase;
let pool: Pool;
let reader: Awaited<ReturnType<typeof collect>>;
const gateways: RunningGateway[] = [];
let n = 0;

const practiceBody = (event: string, practiceId: string, data: Record<string, unknown> = {}) =>
  JSON.stringify({ event, data: { practiceId, userId: `U-${practiceId}`, ...data } });

async function postHex(base: string, raw: string, secret: string) {
  const res = await fetch(`${base}${WEBHOOK_PATHS['practice-update']}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': signHmacHex(secret, raw) },
    body: raw,
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function postStandard(base: string, raw: string, secret: string, id: string) {
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}${WEBHOOK_PATHS['practice-update']}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandardWebhooks(secret, id, ts, raw),
    },
    body: raw,
  });
  return { status: res.status };
}

async function gateway(vars: Record<string, string>, deps = {}): Promise<RunningGateway> {
  const g = await startGateway({ DATABASE_URL: db.url, ...vars }, deps);
  gateways.push(g);
  return g;
}

const received = (deliveryId: string) =>
  reader.collected.filter((m) => m.topic === TOPICS.curagenesisWebhooks && m.value.deliveryId === deliveryId);
const deliveryIdOf = (res: { body: Record<string, unknown> }) => String(res.body.deliveryId);

/** Waits until `deliveryId` was read, then until a later sentinel was: no second copy can still be on its way. */
async function settled(base: string, secret: string, deliveryId: string) {
  await waitFor(() => received(deliveryId).length > 0, {
    timeoutMs: 30_000,
    description: `${deliveryId} committed`,
  });
  const sentinel = await postHex(base, practiceBody('practice.updated', `PR-${TAG}-sentinel-${++n}`), secret);
  expect(sentinel.status).toBe(202);
  await waitFor(() => received(deliveryIdOf(sentinel)).length > 0, {
    timeoutMs: 30_000,
    description: 'sentinel',
  });
}

beforeAll(async () => {
  db = await createTestDatabase('wgres');
  pool = createPool(db.url);
  await migrate(pool, join(__dirname, '..', '..', 'projector', 'migrations'));
  reader = await collect(env.KAFKA_BROKERS, env.SCHEMA_REGISTRY_URL, TOPICS_READ, TAG);
});
afterAll(async () => {
  for (const g of gateways) await g.stop().catch(() => undefined);
  await reader?.stop();
  await pool?.end();
  await db?.drop();
});

describe('webhook-gateway dedup in PostgreSQL', () => {
  const secret = strongSecret();
  const instance = uniqueName('wg-replica');

  it('when a delivery is replayed after a gateway restart, then 200 duplicate and nothing more is published', async () => {
    const raw = practiceBody('practice.updated', `PR-${TAG}-replay`, { state: 'TX' });
    const first = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_GATEWAY_INSTANCE_ID: instance,
    });
    const accepted = await postHex(first.base, raw, secret);
    expect(accepted.status).toBe(202);
    await first.stop();
    const restarted = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_GATEWAY_INSTANCE_ID: instance,
    });
    expect(await postHex(restarted.base, raw, secret)).toMatchObject({
      status: 200,
      body: { status: 'duplicate', deliveryId: deliveryIdOf(accepted) },
    });
    await settled(restarted.base, secret, deliveryIdOf(accepted));
    expect(received(deliveryIdOf(accepted))).toHaveLength(1);
  });

  it('when two replicas get the same delivery (one after the other, or at once), then it is published once', async () => {
    const a = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_GATEWAY_INSTANCE_ID: uniqueName('wg-a'),
    });
    const b = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_GATEWAY_INSTANCE_ID: uniqueName('wg-b'),
    });
    const raw = practiceBody('practice.updated', `PR-${TAG}-replicas`, { state: 'CA' });
    const onA = await postHex(a.base, raw, secret);
    expect(onA.status).toBe(202);
    // A's 202 leaves before its acceptance is recorded in the shared table (in the background): a
    // repeat on B in that moment is told to retry (503 with Retry-After), and then it is a duplicate.
    const onB = await postHex(b.base, raw, secret);
    expect(onB.status === 200 || (onB.status === 503 && onB.retryAfter !== null)).toBe(true);
    await waitFor(async () => (await postHex(b.base, raw, secret)).status === 200, {
      timeoutMs: 10_000,
      description: 'the repeat on B answered duplicate',
    });

    const together = practiceBody('practice.updated', `PR-${TAG}-together`, { state: 'NV' });
    const answers = await Promise.all([postHex(a.base, together, secret), postHex(b.base, together, secret)]);
    const statuses = answers.map((r) => r.status);
    // one publishes (202); the other saw it accepted (200) or still being published (503, retry later)
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect([200, 503]).toContain(statuses.find((s) => s !== 202));
    await waitFor(async () => (await postHex(b.base, together, secret)).status === 200, {
      timeoutMs: 10_000,
      description: 'a repeat answered duplicate',
    });
    // The id from the 202: a 503 answer (the other replica still publishing) names it elsewhere.
    const published = deliveryIdOf(answers.find((r) => r.status === 202)!);
    await settled(a.base, secret, published);
    expect(received(deliveryIdOf(onA))).toHaveLength(1);
    expect(received(published)).toHaveLength(1);
  });
});

describe('webhook-gateway secret rotation', () => {
  it('when the secret is rotated (old, old+new, new), then no delivery is refused, and the old one is refused once dropped', async () => {
    const oldSecret = strongSecret();
    const newSecret = `whsec_${randomBytes(32).toString('base64')}`;
    const instance = uniqueName('wg-rotate');
    const phases: { secrets: string; signWith: string[] }[] = [
      { secrets: oldSecret, signWith: [oldSecret] },
      { secrets: `${oldSecret} ${newSecret}`, signWith: [oldSecret, newSecret] },
      { secrets: newSecret, signWith: [newSecret] },
    ];
    const statuses: number[] = [];
    let last: RunningGateway | undefined;
    for (const [p, phase] of phases.entries()) {
      await last?.stop();
      last = await gateway({
        CURAGENESIS_WEBHOOK_SECRETS: phase.secrets,
        WEBHOOK_GATEWAY_INSTANCE_ID: instance,
      });
      for (const [s, secret] of phase.signWith.entries()) {
        const raw = practiceBody('practice.updated', `PR-${TAG}-rot-${p}-${s}`);
        statuses.push((await postHex(last.base, raw, secret)).status);
        statuses.push((await postStandard(last.base, raw, secret, `msg_${TAG}-rot-${p}-${s}`)).status);
      }
    }
    expect(statuses.every((s) => s === 202)).toBe(true);
    const stale = practiceBody('practice.updated', `PR-${TAG}-rot-old`);
    expect((await postHex(last!.base, stale, oldSecret)).status).toBe(401);
  });
});

describe('webhook-gateway when Kafka is unreachable', () => {
  it('when the brokers cannot be reached, then deliveries get 503 with Retry-After within the publish timeout, the one over capacity 429 at once, and all goes through again once Kafka is back', async () => {
    const kafka = await cuttableKafka();
    const secret = strongSecret();
    const g = await gateway(
      {
        CURAGENESIS_WEBHOOK_SECRET: secret,
        WEBHOOK_GATEWAY_INSTANCE_ID: uniqueName('wg-cut'),
        WEBHOOK_PUBLISH_TIMEOUT_MS: '1000',
        WEBHOOK_RETRY_AFTER_SEC: '7',
        WEBHOOK_MAX_IN_FLIGHT: '2',
      },
      { producerSocketFactory: kafka.socketFactory },
    );
    expect(
      (await postHex(g.base, practiceBody('practice.updated', `PR-${TAG}-before-cut`), secret)).status,
    ).toBe(202);

    kafka.cut();
    const bodies = [1, 2].map((i) => practiceBody('practice.updated', `PR-${TAG}-cut-${i}`));
    const started = performance.now();
    const held = bodies.map((raw) =>
      postHex(g.base, raw, secret).then((r) => ({ ...r, ms: performance.now() - started })),
    );
    await new Promise((r) => setTimeout(r, 200));
    const overCapacity = performance.now();
    const shed = await postHex(g.base, practiceBody('practice.updated', `PR-${TAG}-cut-3`), secret);
    expect(shed).toMatchObject({
      status: 429,
      retryAfter: '7',
      body: { error: { code: 'WEBHOOK_OVERLOADED' } },
    });
    expect(performance.now() - overCapacity).toBeLessThan(300);
    for (const answer of await Promise.all(held)) {
      expect(answer).toMatchObject({
        status: 503,
        retryAfter: '7',
        body: { error: { code: 'WEBHOOK_STORE_TIMEOUT' } },
      });
      expect(answer.ms).toBeGreaterThanOrEqual(900);
      expect(answer.ms).toBeLessThan(2500);
    }

    kafka.restore();
    // The sender retries: each delivery is answered 202 (or 200 if its first attempt committed late), once.
    for (const raw of bodies) {
      const answer = await waitFor(
        async () => {
          const r = await postHex(g.base, raw, secret);
          return r.status === 202 || r.status === 200 ? r : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, description: 'a retried delivery taken once Kafka is back' },
      );
      await waitFor(() => received(deliveryIdOf(answer)).length > 0, {
        timeoutMs: 30_000,
        description: 'committed',
      });
    }
    await settled(g.base, secret, deliveryIdOf(await postHex(g.base, bodies[0]!, secret)));
    for (const raw of bodies) {
      const id = deliveryIdOf(await postHex(g.base, raw, secret));
      expect(received(id)).toHaveLength(1);
    }
  });
});

describe('out-of-order practice webhooks through the gateway and the projector', () => {
  const ROUNDS = 60;
  const UPDATED = { totalOrders: 5, state: 'OR', specialty: 'Pediatrics', salesRep: 'New Rep' };
  const CREATED = { totalOrders: 0, state: 'WA', specialty: 'Oncology', salesRep: 'Old Rep' };
  const NEWER = { totalOrders: 6, state: 'ID', specialty: 'Pediatrics', salesRep: 'New Rep' };

  /** A small seeded PRNG: the same strategies every run. */
  function prng(seed: number) {
    let s = seed >>> 0;
    return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  }

  it(`when practice.created follows three copies of practice.updated (${ROUNDS} practices, batches and topic order varied), then no row ever goes back`, async () => {
    const secret = strongSecret();
    const g = await gateway({
      CURAGENESIS_WEBHOOK_SECRET: secret,
      WEBHOOK_GATEWAY_INSTANCE_ID: uniqueName('wg-order'),
    });
    const ids = Array.from({ length: ROUNDS }, (_, i) => `PR-${TAG}-ooo-${i}`);
    const sent = new Map<string, { updated: string; created: string; newer: string }>();
    await Promise.all(
      ids.map(async (id) => {
        const updated = practiceBody('practice.updated', id, UPDATED);
        const copies = [];
        for (let c = 0; c < 3; c++) copies.push((await postHex(g.base, updated, secret)).status);
        expect(copies).toEqual([202, 200, 200]);
        const created = await postHex(g.base, practiceBody('practice.created', id, CREATED), secret);
        expect(created.status).toBe(202);
        const newer = await postHex(g.base, practiceBody('practice.updated', id, NEWER), secret);
        expect(newer.status).toBe(202);
        sent.set(id, { updated: sha(updated), created: deliveryIdOf(created), newer: deliveryIdOf(newer) });
      }),
    );
    const events = (deliveryId: string) => {
      const of = (topic: string) =>
        reader.collected.filter((m) => m.topic === topic && m.value.deliveryId === deliveryId);
      return { webhook: of(TOPICS.curagenesisWebhooks), record: of(TOPICS.curagenesisPractices) };
    };
    await waitFor(
      () =>
        [...sent.values()].every((d) =>
          [d.updated, d.created, d.newer].every((x) => events(x).webhook.length && events(x).record.length),
        ),
      { timeoutMs: 60_000, description: 'every delivery committed' },
    );

    let offset = 0;
    const msg = (value: WebhookReceived | RecordObserved) => ({ offset: String(++offset), value });
    const project = (topic: string, values: (WebhookReceived | RecordObserved)[]) =>
      withTransaction(pool, (c) => projectBatch(c, topic, 0, values.map(msg)));
    const random = prng(7);
    for (const id of ids) {
      const d = sent.get(id)!;
      const [u, c, nw] = [d.updated, d.created, d.newer].map((x) => events(x));
      const records = [u!.record[0]!.value, c!.record[0]!.value, nw!.record[0]!.value];
      const webhooks = [u!.webhook[0]!.value, c!.webhook[0]!.value, nw!.webhook[0]!.value];
      const webhooksFirst = random() < 0.5;
      if (webhooksFirst) await project(TOPICS.curagenesisWebhooks, webhooks);
      // Kafka order within the practice's partition, split into batches at random points.
      let batch: (WebhookReceived | RecordObserved)[] = [];
      for (const r of records) {
        batch.push(r);
        if (random() < 0.5) {
          await project(TOPICS.curagenesisPractices, batch);
          batch = [];
          await expectNotRegressed(id);
        }
      }
      if (batch.length) await project(TOPICS.curagenesisPractices, batch);
      if (!webhooksFirst) await project(TOPICS.curagenesisWebhooks, webhooks);
      await expectRow(id, NEWER);

      // The first update replayed long after (past the gateway's dedup window): changes nothing.
      const replay = {
        ...(records[0] as RecordObserved),
        observedAt: new Date(Date.now() + 3_600_000).toISOString(),
      };
      await project(TOPICS.curagenesisPractices, [replay]);
      await expectRow(id, NEWER);
    }
  });

  const sha = (raw: string) => `sha256:${createHash('sha256').update(raw).digest('hex')}`;

  async function row(id: string) {
    const res = await pool.query(
      'SELECT total_orders, state, specialty, sales_rep FROM curagenesis_practices WHERE practice_id = $1',
      [id],
    );
    return res.rows[0] as
      { total_orders: number; state: string; specialty: string; sales_rep: string } | undefined;
  }
  async function expectRow(id: string, want: typeof UPDATED) {
    expect(await row(id)).toEqual({
      total_orders: want.totalOrders,
      state: want.state,
      specialty: want.specialty,
      sales_rep: want.salesRep,
    });
  }
  /** Never the created state once an update was written. */
  async function expectNotRegressed(id: string) {
    const r = await row(id);
    if (r) expect(r.state).not.toBe(CREATED.state);
  }
});
