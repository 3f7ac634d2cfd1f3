import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Pool } from 'pg';
import { createCuragenesisSimulator, orderPlacedEvent } from '../../sim-curagenesis/src';
import {
  createTestDatabase,
  internalPort,
  metricValue,
  startServiceProcess,
  waitFor,
  type ServiceProcess,
} from '@tributary/testkit';
import { cpuSecondsText, machineCpuMeter } from './cpu';
import { machineIoSampler } from './machine-io';
import { outcomeSummary, sendWebhookLoad, tallyOutcomes } from './webhook-load';

/** A real secret (32 random bytes): the gateway runs outside demo mode here. */
const SECRET = randomBytes(32).toString('hex');

/** Resolves when the service's /readyz (on its internal port, if it has one) answers 200. */
async function ready(service: ServiceProcess): Promise<void> {
  const port = await internalPort(service);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok, {
    timeoutMs: 90_000,
    description: `${service.name} /readyz`,
  });
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
 * two services used (start-up included), the Kafka and Postgres transactions they committed, and
 * each busy process's share of a core over the measured sending (PostgreSQL, the gateway, Kafka, the
 * projector, the sender: whether the machine's cores are the bound).
 * The sender (webhook-load.ts) is a real one: a keep-alive pool of BENCH_WEBHOOK_SOCKETS; every
 * delivery ends as a status, a connection failure, a timeout, or unsent (it waited in the sender's own
 * queue past the timeout), each counted apart. BENCH_DIAG=1 lists the slowest deliveries. Targets
 * (issues 9 and 14): every delivery a status at 1,000/s and 3,000/s, 0 lost; p99 < 50 ms at 1,000/s.
 */
export async function benchWebhooks(
  ratePerSec = Number(process.env.BENCH_WEBHOOK_RATE ?? 200),
  seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 60),
  warmUpSeconds = Number(process.env.BENCH_WEBHOOK_WARMUP_SECONDS ?? 10),
  sockets = Number(process.env.BENCH_WEBHOOK_SOCKETS ?? 256),
  timeoutMs = Number(process.env.BENCH_WEBHOOK_TIMEOUT_MS ?? 10_000),
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
  // BENCH_GATEWAY_ENTRY, BENCH_PROJECTOR_ENTRY: another gateway's or projector's main.ts (e.g. an older
  // commit's, in a git worktree), for A/B runs.
  const projector = startServiceProcess(
    'projector',
    env,
    ...(process.env.BENCH_PROJECTOR_ENTRY ? [process.env.BENCH_PROJECTOR_ENTRY] : []),
  );
  const gateway = startServiceProcess(
    'webhook-gateway',
    { ...env, INTERNAL_PORT: '0' },
    ...(process.env.BENCH_GATEWAY_ENTRY ? [process.env.BENCH_GATEWAY_ENTRY] : []),
  );
  try {
    await projector.ready();
    await ready(gateway);
    /** Send time of every delivery, by order id; the measured ones (after the warm-up) in `steady`. */
    const sentAt = new Map<string, number>();
    const steady = new Set<string>();
    // Made once: the simulator builds an order anew on each call (~30 µs), too dear at 3,000/s.
    const orderIds = Array.from({ length: total }, (_, i) => sim.dataset.order(i).order_id);
    const orderIdOf = (i: number) => orderIds[i]!;
    console.log(
      `[bench] webhook to row visible: ${ratePerSec}/s, ${warmUpSeconds} s warm-up, then ${seconds} s measured, ${sockets} keep-alive sockets`,
    );
    const start = Date.now();
    // The disks' writeback beside the slow deliveries (BENCH_DIAG): a burst stalls PostgreSQL's commits.
    const io = process.env.BENCH_DIAG ? machineIoSampler(500) : undefined;
    /** CPU by process over the measured sending (from the first delivery after the warm-up). */
    let machineCpu: ReturnType<typeof machineCpuMeter> | undefined;
    const loadBefore = loadavg()[0]!;
    const load = await sendWebhookLoad({
      baseUrl: `http://127.0.0.1:${await gateway.port()}`,
      secret: SECRET,
      ratePerSec,
      total,
      sockets,
      timeoutMs,
      delivery: (i) => orderPlacedEvent(sim.dataset, orderIdOf(i)),
      onSent(i, at) {
        sentAt.set(orderIdOf(i), at);
        if (i >= warmUp) steady.add(orderIdOf(i));
        if (i === warmUp)
          machineCpu = machineCpuMeter({ gateway: gateway.process.pid, projector: projector.process.pid });
      },
      onProgress: (sent, answered, outcomes) =>
        console.log(
          `[bench]   ${sent} sent${sent <= warmUp ? ' (warm-up)' : ''}, ${answered} answered (${outcomeSummary(outcomes)}); load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
        ),
    });
    const loadAfter = loadavg()[0]!;
    const ioSamples = io?.stop() ?? [];
    const cpuShares = machineCpu?.stop() ?? '?';
    const tally = tallyOutcomes(load.outcomes, (i) => i >= warmUp);
    const ackById = new Map<string, number>();
    load.outcomes.forEach((o, i) => {
      if (o?.kind === 'status' && o.status === 202) ackById.set(orderIdOf(i), o.ms);
    });
    const cpu = `${cpuSecondsText(gateway.process.pid)}/${cpuSecondsText(projector.process.pid)}/${cpuSecondsText(process.pid)}`;
    const transactions = await metricValue(
      gateway,
      'tributary_kafka_transactions_total',
      'outcome="committed"',
    );
    const accepted = tally.statuses.get(202) ?? 0;
    // Every delivery answered 202 must become a row: wait for those ids (others may show up too:
    // a delivery the sender gave up on can still have committed).
    const acceptedIds = [...ackById.keys()];
    await waitFor(
      async () =>
        (
          await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM curagenesis_orders WHERE order_id = ANY($1::text[])',
            [acceptedIds],
          )
        ).rows[0]!.n >= acceptedIds.length,
      { timeoutMs: 120_000, description: 'every accepted delivery projected' },
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
    const acks = tally.acceptedMs;
    const shed = tally.shedMs;
    const visibleIds = new Set(visible.map((v) => v.id));
    const lost = [...ackById.keys()].filter((id) => !visibleIds.has(id)).length;
    if (process.env.BENCH_DIAG) {
      // Where a steady delivery's time went: the gateway's answer, then until its projection
      // transaction started (Kafka's commit, the fetch, the projector's queue), then that transaction.
      const spans = await pool.query<{ order_id: string; start: string; commit: string }>(
        `SELECT order_id, (extract(epoch FROM synced_at) * 1000)::bigint::text AS start,
                (extract(epoch FROM ${visibleAt}) * 1000)::bigint::text AS commit FROM curagenesis_orders`,
      );
      // The spans of every delivery, for the whole measured run and by 5 s of sending (whether the
      // tail is a phase, a warm-up, a collection, a rebalance, or spread over the run).
      type Spans = { answer: number[]; queued: number[]; transaction: number[]; row: number[] };
      const noSpans = (): Spans => ({ answer: [], queued: [], transaction: [], row: [] });
      const parts = noSpans();
      const byWindow = new Map<number, Spans>();
      for (const r of spans.rows) {
        const sent = sentAt.get(r.order_id);
        const ack = ackById.get(r.order_id);
        if (sent === undefined || ack === undefined) continue;
        const w = Math.floor((sent - start) / 5000);
        const window = byWindow.get(w) ?? noSpans();
        byWindow.set(w, window);
        for (const into of steady.has(r.order_id) ? [parts, window] : [window]) {
          into.answer.push(ack);
          into.queued.push(Number(r.start) - sent - ack);
          into.transaction.push(Number(r.commit) - Number(r.start));
          into.row.push(Number(r.commit) - sent);
        }
      }
      for (const [name, values] of Object.entries(parts)) {
        if (name === 'row') continue;
        sorted(values);
        console.log(`span ${name}: p50 ${quantile(values, 0.5)} ms, p99 ${quantile(values, 0.99)} ms`);
      }
      for (const [w, window] of [...byWindow].sort((a, b) => a[0] - b[0])) {
        const text = Object.entries(window)
          .map(([name, values]) => {
            sorted(values);
            return `${name} ${quantile(values, 0.5)}/${quantile(values, 0.99)}`;
          })
          .join(', ');
        console.log(`span p50/p99 ms, sent ${w * 5}-${w * 5 + 5} s: ${text}`);
      }
      const slowest = [...visible].sort((a, b) => b.row - a.row);
      const slow = new Map<number, number>();
      for (const v of slowest)
        if (v.row > 150) slow.set(Math.floor(v.sent / 1000), (slow.get(Math.floor(v.sent / 1000)) ?? 0) + 1);
      console.log(
        `slow (>150 ms) deliveries by second sent (start ${new Date(start).toISOString()}):`,
        JSON.stringify([...slow].sort((a, b) => a[0] - b[0])),
      );
      console.log(JSON.stringify(slowest.slice(0, 40).map((v) => ({ ...v, ack: ackById.get(v.id) }))));
      if (ioSamples.length > 0) {
        const busy = ioSamples.filter((x) => x.writtenMiB >= 20 || x.iowaitPct >= 5);
        const peakDirty = Math.max(...ioSamples.map((x) => x.dirtyMiB));
        console.log(
          `disk, by half second sent (written >= 20 MiB or iowait >= 5%; dirty peaked at ${peakDirty.toFixed(0)} MiB):`,
          busy.length === 0
            ? 'none'
            : busy
                .map(
                  (x) =>
                    `${(x.atMs / 1000).toFixed(1)} s: ${x.writtenMiB.toFixed(0)} MiB written, iowait ${x.iowaitPct.toFixed(0)}%, dirty ${x.dirtyMiB.toFixed(0)} MiB`,
                )
                .join('; '),
        );
      }
    }
    return {
      'rate (/s)': ratePerSec,
      'warm-up + measured (s)': `${warmUpSeconds} + ${seconds}`,
      sent: total,
      accepted,
      'other statuses':
        [...tally.statuses]
          .filter(([s]) => s !== 202)
          .map(([s, n]) => `${s}:${n}`)
          .join(' ') || '-',
      'connection failures': [...tally.connectionFailures].map(([code, n]) => `${code}:${n}`).join(' ') || 0,
      timeouts: tally.timeouts,
      'unsent (sender backlog)': tally.unsent,
      'rows visible': visible.length,
      lost,
      '202 answer p50/p99 (ms)': `${quantile(acks, 0.5)}/${quantile(acks, 0.99)}`,
      '429/503 answer p50/p99 (ms)': shed.length ? `${quantile(shed, 0.5)}/${quantile(shed, 0.99)}` : '-',
      'no Retry-After': tally.shedWithoutRetryAfter,
      'sender lag max / queued max / sockets': `${load.maxLagMs} ms / ${load.maxQueued} / ${load.socketsOpened}`,
      'p50 (ms)': quantile(latencies, 0.5),
      'p99 (ms)': quantile(latencies, 0.99),
      'max (ms)': latencies[latencies.length - 1] ?? NaN,
      'p99 incl. warm-up': quantile(all, 0.99),
      'CPU s gateway/projector/bench': cpu,
      '% of a core while measured': cpuShares,
      'Kafka/PG transactions': `${transactions}/${pgTransactions}`,
      'row time': commitTimes ? 'commit' : 'tx start',
      'load avg before/after': `${loadBefore.toFixed(1)}/${loadAfter.toFixed(1)}`,
      target: 'p99 < 50 at 1,000/s; lost 0; every delivery a status',
    };
  } finally {
    await Promise.all([gateway.stop(), projector.stop()]);
    await pool.end();
    await db.drop();
  }
}
