import { REPCARD_ENTITIES } from '@tributary/contracts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase, uniqueName, waitFor, type TestDatabase } from '@tributary/testkit';
import { differences } from '../../../libs/testkit/src/repcard-compare';
import { runCli } from '../../../libs/testkit/src/repcard-pipeline';
import { createRepcardSimulator } from '../../sim-repcard/src';
import {
  createCuragenesisSimulator,
  createWebhookSender,
  nextEvent,
  type WebhookSender,
} from '../../sim-curagenesis/src';
import { rngFor } from '../../sim-curagenesis/src/prng';
import { brokerIds, killBroker, loadClusterSettings, startBroker, waitForBroker } from '../src/cluster';
import { clusterClients, fencingLines, gatewayUrl, startReplica, type Replica } from './cluster-fixture';

/**
 * The whole pipeline on the secured 3-broker cluster (`npm run test:cluster`: starts it, then runs
 * this file): topics RF 3, min.insync.replicas 2, SASL SCRAM-SHA-512 over TLS; two replicas of the
 * projector, both ingests, the webhook gateway and the scheduler (its leader fires the slots).
 * During a RepCard full sync and steady webhook traffic, one broker and one replica of each
 * replicated service are killed with SIGKILL; the broker stays down 30 s. Then: read models exact,
 * each accepted webhook stored once, each schedule slot fired once, no producer fenced.
 */
const RUN = process.env.TRIBUTARY_CLUSTER_SUITE === '1';
const SIZE = Number(process.env.CLUSTER_SUITE_SIZE ?? 8_000);
const WEBHOOK_SECRET = 'cluster-suite-webhook-secret-0123456789abcdef';
const BROKER_DOWN_MS = 30_000;

(RUN ? describe : describe.skip)('the pipeline on a 3-broker SASL_SSL cluster (RF 3, min ISR 2)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const replicas: Replica[] = [];
  const closers: (() => Promise<unknown>)[] = [];

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.proc.stop()));
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await pool?.end();
    await db?.drop().catch(() => undefined);
  });

  it('when a broker and a replica of each service are killed mid-sync, then nothing is lost or doubled and no slot fires twice', async () => {
    const settings = loadClusterSettings();
    const namespace = `${uniqueName('cluster')}.`;
    db = await createTestDatabase('cluster');
    pool = new Pool({ connectionString: db.url, max: 2 });
    const repcard = createRepcardSimulator({
      seed: 11,
      size: SIZE,
      rateLimit: 25,
      ratePeriodMs: 1000,
      now: new Date(),
    });
    const repcardUrl = (await repcard.start()).url;
    closers.push(() => repcard.stop());
    const curagenesis = createCuragenesisSimulator({ seed: 12, practices: 200, orders: 1_000 });
    const curagenesisUrl = (await curagenesis.start()).url;
    closers.push(() => curagenesis.stop());

    const env: NodeJS.ProcessEnv = {
      TRIBUTARY_TOPIC_NAMESPACE: namespace,
      DATABASE_URL: db.url,
      TRIBUTARY_DEMO: '1',
      REPCARD_API_URL: repcardUrl,
      REPCARD_API_KEY: repcard.config.apiKey,
      REPCARD_RATE_LIMIT: '25',
      REPCARD_RATE_PERIOD_MS: '1000',
      CURAGENESIS_API_URL: curagenesisUrl,
      CURAGENESIS_API_KEY: 'sim-curagenesis-key',
      CURAGENESIS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      INTERNAL_PORT: '0',
      INGEST_REPCARD_SESSION_TIMEOUT_MS: '10000',
      INGEST_CURAGENESIS_SESSION_TIMEOUT_MS: '10000',
      SCHEDULE_INCREMENTAL_CRON: '* * * * *',
      SCHEDULE_FULL_CRON: '0 0 1 1 *',
      SCHEDULE_SOURCES: 'curagenesis',
      SCHEDULE_LEADER_LEASE_SECONDS: '6',
    };
    const as = (instance: string): NodeJS.ProcessEnv => ({
      ...env,
      TRIBUTARY_INSTANCE_ID: instance,
      WEBHOOK_GATEWAY_INSTANCE_ID: `webhook-gateway-${instance}`,
    });
    const t0 = Date.now();
    // The first replica creates the topics (RF 3, min ISR 2); every other starts with creation off,
    // so it checks them and would refuse to start if one differed.
    const projectorA = await startReplica('projector', 'projector#a', as('a'));
    const checkOnly = (instance: string) => ({ ...as(instance), KAFKA_TOPICS_CREATE: 'false' });
    replicas.push(projectorA);
    // One at a time: nine processes compiling at once on a small machine would not listen in time.
    const started: Replica[] = [];
    for (const [service, instance] of [
      ['projector', 'b'],
      ['ingest-repcard', 'a'],
      ['ingest-repcard', 'b'],
      ['ingest-curagenesis', 'a'],
      ['ingest-curagenesis', 'b'],
      ['webhook-gateway', 'a'],
      ['webhook-gateway', 'b'],
      ['scheduler', 'a'],
      ['scheduler', 'b'],
    ] as const) {
      const label = `${service}#${instance}`;
      started.push(await startReplica(service, label, checkOnly(instance)));
      process.stderr.write(`[cluster suite] ${label} ready at ${Math.round((Date.now() - t0) / 1000)} s\n`);
    }
    replicas.push(...started);
    const byLabel = (label: string) => replicas.find((r) => r.label === label)!;
    const startupMs = Date.now() - t0;

    // Webhook traffic: ~4 deliveries/s, spread over both gateways; a delivery a gateway does not accept
    // (down, 503) is retried on the other one, as a load balancer and the sender's retries would.
    const senders: WebhookSender[] = [];
    for (const label of ['webhook-gateway#a', 'webhook-gateway#b'])
      senders.push(
        createWebhookSender({
          targetBaseUrl: await gatewayUrl(byLabel(label)),
          secret: WEBHOOK_SECRET,
          scheme: 'standard',
          timeoutMs: 5_000,
        }),
      );
    const accepted = new Set<string>();
    let webhookAttempts = 0;
    let stopTraffic = false;
    const rng = rngFor(7, 99);
    const traffic = (async () => {
      for (let k = 0; !stopTraffic; k++) {
        const delivery = nextEvent(rng, curagenesis.dataset, (m) => curagenesis.mutate(m));
        for (let attempt = 0; attempt < 30; attempt++) {
          webhookAttempts++;
          const sender = senders[(k + attempt) % 2]!;
          const ok = await sender.send(delivery).then(
            ([a]) => a !== undefined && a.status >= 200 && a.status < 300,
            () => false,
          );
          if (ok) {
            accepted.add(delivery.id);
            break;
          }
          await new Promise((r) => setTimeout(r, 1_000));
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // The full sync, then the kills once a tenth of it is through.
    const cli = runCli({ env } as never, ['--skip-users', '--skip-offices'], 1_200_000);
    const customers = () =>
      pool.query<{ n: number }>('SELECT count(*)::int AS n FROM repcard_customers').then(
        (r) => r.rows[0]!.n,
        () => 0,
      );
    await waitFor(async () => (await customers()) >= SIZE / 10, {
      timeoutMs: 600_000,
      intervalMs: 500,
      description: 'a tenth of the customers projected',
    });
    const victim = brokerIds(settings)[1]!;
    const killedAt = Date.now();
    const rowsAtKill = await customers();
    const progress = () =>
      pool
        .query<{ n: number }>(
          'SELECT (SELECT count(*) FROM repcard_customers) + (SELECT count(*) FROM repcard_appointments) + (SELECT count(*) FROM curagenesis_webhook_deliveries) AS n',
        )
        .then(
          (r) => Number(r.rows[0]!.n),
          () => 0,
        );
    const progressAtKill = await progress();
    killBroker(settings, victim);
    // The scheduler replica that leads now (it logged leader.gained last) is killed with the others.
    const leads = (label: string) =>
      byLabel(label)
        .allLines()
        .some((l) => l.includes('"leader.gained"'));
    const schedulerLeader = leads('scheduler#b') && !leads('scheduler#a') ? 'scheduler#b' : 'scheduler#a';
    const killedReplicas = [
      'projector#a',
      'ingest-repcard#a',
      'ingest-curagenesis#a',
      'webhook-gateway#a',
      schedulerLeader,
    ].map(byLabel);
    let recoveryMs: number | null = null;
    let brokerBackMs = 0;
    try {
      await Promise.all(killedReplicas.map((r) => r.proc.kill9()));
      process.stderr.write(
        `[cluster suite] broker ${victim} and ${killedReplicas.map((r) => r.label).join(', ')} killed at ${Math.round((killedAt - t0) / 1000)} s\n`,
      );
      // Progress resumes (the other replicas take over) while the broker is still down.
      await waitFor(async () => (await progress()) > progressAtKill, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: 'projection progress after the kills',
      }).then(
        () => (recoveryMs = Date.now() - killedAt),
        () => undefined,
      );
      await Promise.all(killedReplicas.map((r) => r.restart()));
      await new Promise((r) => setTimeout(r, Math.max(0, killedAt + BROKER_DOWN_MS - Date.now())));
    } finally {
      startBroker(settings, victim);
      await waitForBroker(settings, victim);
      brokerBackMs = Date.now() - killedAt;
      process.stderr.write(
        `[cluster suite] broker ${victim} back after ${Math.round(brokerBackMs / 1000)} s\n`,
      );
    }

    const res = await cli;
    const syncId = /sync requested: ([0-9a-f-]{36})/.exec(res.stdout)?.[1] ?? 'none';
    const failedEntities = await pool
      .query<{ entity_type: string; error_message: string }>(
        "SELECT entity_type, error_message FROM sync_log WHERE source = 'repcard' AND status <> 'completed'",
      )
      .then((r) => r.rows);
    // Let at least two schedule slots pass during the run, then stop the traffic.
    await waitFor(() => Date.now() - t0 > 150_000, { timeoutMs: 200_000, description: 'two schedule slots' });
    stopTraffic = true;
    await traffic;

    const entities = REPCARD_ENTITIES.slice(2);
    const diffs = await differences(pool, repcard, entities);
    const stored = await pool.query<{ delivery_id: string; n: number }>(
      'SELECT delivery_id, count(*)::int AS n FROM curagenesis_webhook_deliveries GROUP BY delivery_id',
    );
    const storedIds = new Map(stored.rows.map((r) => [r.delivery_id, r.n]));
    const webhookLost = [...accepted].filter((id) => !storedIds.has(id));
    const webhookDoubled = stored.rows.filter((r) => r.n > 1).length;
    let rowsChecked = 0;
    let rowsDoubled = 0;
    let rowsLost = 0;
    for (const table of [
      'repcard_customers',
      'repcard_appointments',
      'repcard_status_logs',
      'repcard_customer_attachments',
      'repcard_appointment_attachments',
    ]) {
      const key =
        table === 'repcard_status_logs'
          ? 'repcard_log_id'
          : table.endsWith('attachments')
            ? 'repcard_attachment_id'
            : `${table.replace('repcard_', 'repcard_').replace(/s$/, '')}_id`;
      const r = await pool.query<{ n: number; d: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT ${key})::int AS d FROM ${table}`,
      );
      rowsChecked += r.rows[0]!.n;
      rowsLost += Math.max(
        0,
        repcard.dataset.count(
          entities[
            [
              'repcard_customers',
              'repcard_appointments',
              'repcard_status_logs',
              'repcard_customer_attachments',
              'repcard_appointment_attachments',
            ].indexOf(table)
          ]!,
        ) - r.rows[0]!.d,
      );
      rowsDoubled += r.rows[0]!.n - r.rows[0]!.d;
    }

    // Schedule slots: the SyncRequested commands of trigger `schedule`, per source and minute.
    const { kafka, codec } = clusterClients(process.env, uniqueName('cluster-check'));
    const slots = await scheduledSlots(kafka, codec, `${namespace}sync.commands.v1`);
    const fencing = replicas.flatMap((r) => fencingLines(r.allLines()));
    // Every replica still running at the end (the killed ones as restarted): none left on its own (no fencing loop).
    const survivorsExited = replicas
      .filter((r) => r.proc.process.exitCode !== null || r.proc.process.signalCode !== null)
      .map((r) => r.label);

    const figures = {
      brokers: settings.brokers,
      replicationFactor: Number(process.env.KAFKA_TOPIC_REPLICATION_FACTOR),
      minInsyncReplicas: Number(process.env.KAFKA_TOPIC_MIN_INSYNC_REPLICAS),
      security: `SASL ${process.env.KAFKA_SASL_MECHANISM} over TLS`,
      replicas: replicas.map((r) => r.label).join(', '),
      startupSeconds: Math.round(startupMs / 1000),
      syncId,
      recordsChecked: rowsChecked,
      recordsLost: rowsLost,
      recordsDiffering: diffs.filter((d) => d.problem !== 'missing').length,
      recordsDoubled: rowsDoubled,
      webhooksAccepted: accepted.size,
      webhookAttempts,
      webhooksLost: webhookLost.length,
      webhooksDoubled: webhookDoubled,
      brokerKilled: `broker ${victim} at ${Math.round((killedAt - t0) / 1000)} s, ${rowsAtKill} of ${repcard.dataset.count('customers')} customers projected`,
      recoverySeconds: recoveryMs === null ? null : +(recoveryMs / 1000).toFixed(1),
      cliExitCode: res.code,
      entitiesFailed: failedEntities.map((e) => `${e.entity_type}: ${e.error_message}`),
      brokerDownSeconds: +(brokerBackMs / 1000).toFixed(1),
      scheduleSlotsFired: slots.size,
      scheduleSlotsFiredTwice: [...slots.values()].filter((n) => n > 1).length,
      scheduleSlotsAfterTheKill: [...slots.keys()].filter((k) => Date.parse(`${k.split('@')[1]}Z`) > killedAt)
        .length,
      fencingEvents: fencing.length,
      survivorsExited,
    };
    process.stderr.write(`\ncluster suite figures:\n${JSON.stringify(figures, null, 2)}\n`);
    writeFileSync(join(settings.stackDir, 'suite-figures.json'), JSON.stringify(figures, null, 2));

    expect({ cli: res.code, failedEntities }).toEqual({ cli: 0, failedEntities: [] });
    expect(diffs).toEqual([]);
    expect(rowsDoubled).toBe(0);
    expect({ webhookLost, webhookDoubled }).toEqual({ webhookLost: [], webhookDoubled: 0 });
    expect(slots.size).toBeGreaterThanOrEqual(2);
    expect(figures.scheduleSlotsFiredTwice).toBe(0);
    expect(figures.scheduleSlotsAfterTheKill).toBeGreaterThanOrEqual(1); // the standby took over
    expect(fencing).toEqual([]);
    expect(survivorsExited).toEqual([]);
  });
});

/** Scheduled SyncRequested commands per `source@minute`, read from the start of the commands topic. */
async function scheduledSlots(
  kafka: ReturnType<typeof clusterClients>['kafka'],
  codec: ReturnType<typeof clusterClients>['codec'],
  topic: string,
): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]),
  );
  const slots = new Map<string, number>();
  if (remaining.size === 0) return slots;
  const consumer = kafka.consumer({ groupId: uniqueName('cluster-slots'), readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const value = (await codec.decode(message.value)) as {
            trigger?: string;
            source?: string;
            requestedAt?: string;
          };
          if (value.trigger === 'schedule') {
            const slot = `${value.source}@${value.requestedAt?.slice(0, 16)}`;
            slots.set(slot, (slots.get(slot) ?? 0) + 1);
          }
          if (BigInt(message.offset) + 1n >= (remaining.get(partition) ?? 0n)) remaining.delete(partition);
          if (remaining.size === 0) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return slots;
}
