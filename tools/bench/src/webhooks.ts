import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Pool } from 'pg';
import { errorMessage } from '@tributary/core';
import { createCuragenesisSimulator, createWebhookSender, orderPlacedEvent } from '../../sim-curagenesis/src';
import { createTestDatabase, startServiceProcess, waitFor, type ServiceProcess } from '@tributary/testkit';

/** A real secret (32 random bytes): the gateway runs outside demo mode here. */
const SECRET = randomBytes(32).toString('hex');

/** User + system CPU seconds a process has used so far (Linux /proc), or '?'. */
function cpuSeconds(pid: number | undefined): string {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / 100).toFixed(1);
  } catch {
    return '?';
  }
}

/** The gateway's internal port (`/readyz`, `/metrics`), from its `service.started` line. */
async function internalPort(service: ServiceProcess): Promise<number> {
  await service.port();
  for (const l of service.lines) {
    if (!l.includes('"service.started"')) continue;
    const p = (JSON.parse(l) as { internalPort?: number }).internalPort;
    if (typeof p === 'number') return p;
  }
  return service.port();
}

/** Resolves when the service's /readyz (on its internal port, if it has one) answers 200. */
async function ready(service: ServiceProcess): Promise<void> {
  const port = await internalPort(service);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok, {
    timeoutMs: 90_000,
    description: `${service.name} /readyz`,
  });
}

/** The sum of a metric's samples on a service's /metrics whose labels include `label`, or NaN. */
async function metricValue(service: ServiceProcess, name: string, label = ''): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${await internalPort(service)}/metrics`)).text();
    const samples = text
      .split('\n')
      .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(label))
      .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
    return samples.length ? samples.reduce((a, b) => a + b, 0) : NaN;
  } catch {
    return NaN;
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * Webhook to row visible in Postgres at a steady rate: signed order.placed deliveries to the real
 * gateway process, projected by the real projector process. Latency = the commit time of the row's
 * transaction (same machine clock; `row time` says which clock was used) minus the moment the
 * request was sent. The target is about the steady state, so the first `warmUpSeconds` at the same
 * rate (services, Kafka and Postgres warming up) are sent but not in p50/p99; they are in "p99 incl.
 * warm-up" and in the loss count. Also printed: when the 202 answers came back, the CPU seconds the
 * two services used (start-up included), and the Kafka and Postgres transactions they committed.
 * BENCH_DIAG=1 lists the slowest deliveries. Target: p99 < 200 ms, zero lost.
 */
export async function benchWebhooks(
  ratePerSec = Number(process.env.BENCH_WEBHOOK_RATE ?? 200),
  seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 60),
  warmUpSeconds = Number(process.env.BENCH_WEBHOOK_WARMUP_SECONDS ?? 10),
) {
  const warmUp = Math.round(ratePerSec * warmUpSeconds);
  const measured = ratePerSec * seconds;
  const total = warmUp + measured;
  const sim = createCuragenesisSimulator({ seed: 21, practices: 500, orders: total + 10 });
  const db = await createTestDatabase('benchwh');
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const env = {
    DATABASE_URL: db.url,
    CURAGENESIS_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: process.env.BENCH_SERVICE_LOG_LEVEL ?? 'info',
  };
  const projector = startServiceProcess('projector', env);
  const gateway = startServiceProcess('webhook-gateway', { ...env, INTERNAL_PORT: '0' });
  try {
    await projector.ready();
    await ready(gateway);
    const sender = createWebhookSender({
      targetBaseUrl: `http://127.0.0.1:${await gateway.port()}`,
      secret: SECRET,
      scheme: 'hmac',
    });
    /** Send time of every delivery, by order id; the measured ones (after the warm-up) in `steady`. */
    const sentAt = new Map<string, number>();
    const steady = new Set<string>();
    const statuses = new Map<number, number>();
    const ackById = new Map<string, number>();
    const inflight: Promise<void>[] = [];
    console.log(
      `[bench] webhook to row visible: ${ratePerSec}/s, ${warmUpSeconds} s warm-up, then ${seconds} s measured`,
    );
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      if (i > 0 && i % (ratePerSec * 10) === 0) {
        console.log(
          `[bench]   ${i / ratePerSec} s: ${i} sent${i <= warmUp ? ' (warm-up)' : ''}, ${ackById.size} answered`,
        );
      }
      const due = start + (i * 1000) / ratePerSec;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const order = sim.dataset.order(i);
      const delivery = orderPlacedEvent(sim.dataset, order.order_id);
      const sent = Date.now();
      sentAt.set(order.order_id, sent);
      if (i >= warmUp) steady.add(order.order_id);
      inflight.push(
        sender.send(delivery).then(
          (attempts) => {
            ackById.set(order.order_id, Date.now() - sent);
            statuses.set(attempts[0]!.status, (statuses.get(attempts[0]!.status) ?? 0) + 1);
          },
          (err: unknown) => {
            if (!statuses.has(0)) console.log(`[bench]   first connection failure: ${errorMessage(err)}`);
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          },
        ),
      );
    }
    await Promise.all(inflight);
    const cpu = `${cpuSeconds(gateway.process.pid)}/${cpuSeconds(projector.process.pid)}`;
    const transactions = await metricValue(
      gateway,
      'tributary_kafka_transactions_total',
      'outcome="committed"',
    );
    const accepted = statuses.get(202) ?? 0;
    await waitFor(
      async () =>
        (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM curagenesis_orders')).rows[0]!.n >=
        accepted,
      {
        timeoutMs: 120_000,
        description: 'every accepted delivery projected',
      },
    ).catch(() => undefined);
    const pgTransactions = await metricValue(projector, 'tributary_projector_batch_duration_seconds_count');
    // When a row became visible: its transaction's commit time where Postgres tracks it (the stack
    // launcher turns it on), else the projection transaction's start (synced_at), a little earlier.
    const commitTimes =
      (await pool.query<{ on: string }>(`SELECT current_setting('track_commit_timestamp') AS on`)).rows[0]!
        .on === 'on';
    const visibleAt = commitTimes ? 'pg_xact_commit_timestamp(xmin)' : 'synced_at';
    const rows = await pool.query<{ order_id: string; ms: string }>(
      `SELECT order_id, (extract(epoch FROM ${visibleAt}) * 1000)::bigint::text AS ms FROM curagenesis_orders`,
    );
    const visible = rows.rows
      .filter((r) => sentAt.has(r.order_id))
      .map((r) => ({
        id: r.order_id,
        row: Number(r.ms) - sentAt.get(r.order_id)!,
        sent: sentAt.get(r.order_id)! - start,
      }));
    const sorted = (values: number[]) => values.sort((a, b) => a - b);
    const latencies = sorted(visible.filter((v) => steady.has(v.id)).map((v) => v.row));
    const all = sorted(visible.map((v) => v.row));
    const acks = sorted(
      [...steady].map((id) => ackById.get(id)).filter((ms): ms is number => ms !== undefined),
    );
    if (process.env.BENCH_DIAG) {
      const slowest = [...visible].sort((a, b) => b.row - a.row);
      const slow = new Map<number, number>();
      for (const v of slowest)
        if (v.row > 150) slow.set(Math.floor(v.sent / 1000), (slow.get(Math.floor(v.sent / 1000)) ?? 0) + 1);
      console.log(
        'slow (>150 ms) deliveries by second sent:',
        JSON.stringify([...slow].sort((a, b) => a[0] - b[0])),
      );
      console.log(JSON.stringify(slowest.slice(0, 40).map((v) => ({ ...v, ack: ackById.get(v.id) }))));
    }
    return {
      'rate (/s)': ratePerSec,
      'warm-up + measured (s)': `${warmUpSeconds} + ${seconds}`,
      sent: total,
      accepted,
      'other statuses':
        [...statuses]
          .filter(([s]) => s !== 202 && s !== 0)
          .map(([s, n]) => `${s}:${n}`)
          .join(' ') || '-',
      'connection failures': statuses.get(0) ?? 0,
      'rows visible': visible.length,
      lost: accepted - visible.length,
      'answer p50/p99 (ms)': `${quantile(acks, 0.5)}/${quantile(acks, 0.99)}`,
      'p50 (ms)': quantile(latencies, 0.5),
      'p99 (ms)': quantile(latencies, 0.99),
      'max (ms)': latencies[latencies.length - 1] ?? NaN,
      'p99 incl. warm-up': quantile(all, 0.99),
      'CPU s gateway/projector': cpu,
      'Kafka/PG transactions': `${transactions}/${pgTransactions}`,
      'row time': commitTimes ? 'commit' : 'tx start',
      target: 'p99 < 200, lost 0, no connection failures',
    };
  } finally {
    await Promise.all([gateway.stop(), projector.stop()]);
    await pool.end();
    await db.drop();
  }
}
