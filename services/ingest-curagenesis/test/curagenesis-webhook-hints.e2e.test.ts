import { randomUUID } from 'node:crypto';
import { createWebhookSender, practiceUpdatedEvent } from '../../../tools/sim-curagenesis/src';
import { startServiceProcess, waitFor, type ServiceProcess } from '@tributary/testkit';
import { startPipeline, type Pipeline } from './harness';

// Webhooks as hints (issue 13 item 4, ADR 0026): a verified CuraGenesis delivery is projected as it
// came, then ingest-curagenesis re-fetches the practice it names (first in the budget) and the
// source's answer overwrites it, so a stale, replayed or partial webhook converges on the truth.
const SECRET = 'hints-suite-webhook-secret-0123456789abcdef';

describe('CuraGenesis webhooks as hints', () => {
  let p: Pipeline;
  let gateway: ServiceProcess | undefined;
  afterEach(async () => {
    await gateway?.stop();
    await p?.close();
  });

  it('when a stale practice.updated webhook arrives, then the practice converges on the source after its re-fetch', async () => {
    p = await startPipeline({ seed: 913, practices: 30, orders: 60 }, {}, { ingest: 'process' });
    gateway = startServiceProcess('webhook-gateway', {
      KAFKA_BROKERS: p.env.KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL: p.env.SCHEMA_REGISTRY_URL,
      DATABASE_URL: p.db.url,
      CURAGENESIS_WEBHOOK_SECRET: SECRET,
      INTERNAL_PORT: '0',
    });
    const truth = p.sim.dataset.practice(7);
    const fresh = practiceUpdatedEvent(p.sim.dataset, truth.practiceId);
    const data = fresh.body.data as Record<string, unknown>;
    const stale = {
      ...fresh,
      id: `msg_${randomUUID()}`,
      body: { ...fresh.body, data: { ...data, totalOrders: 9999, salesRep: 'Stale Rep' } },
    };
    const sender = createWebhookSender({
      targetBaseUrl: `http://127.0.0.1:${await gateway.port()}`,
      secret: SECRET,
    });
    // The gateway answers 503 until its Kafka producer is ready: send until accepted.
    await waitFor(
      async () => ((await sender.send(stale).catch(() => []))[0]?.status === 202 ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 500, description: 'the stale delivery accepted (202)' },
    );

    const row = await waitFor(
      async () => {
        const { rows } = await p.pool.query<{
          total_orders: number;
          sales_rep: string | null;
          _observed_via: string;
        }>(
          `SELECT total_orders, sales_rep, _observed_via FROM curagenesis_practices WHERE practice_id = $1`,
          [truth.practiceId],
        );
        return rows[0]?._observed_via === 're-fetch' ? rows[0] : undefined;
      },
      { timeoutMs: 60_000, description: 'the practice re-fetched after its webhook' },
    );
    expect(row).toEqual({
      total_orders: truth.totalOrders,
      sales_rep: truth.salesRep,
      _observed_via: 're-fetch',
    });
    const { rows: deliveries } = await p.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM curagenesis_webhook_deliveries`,
    );
    expect(deliveries[0]!.n).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
