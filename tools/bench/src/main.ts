import { loadStackEnv } from '@tributary/config';
import { printTable } from './table';

/**
 * `npm run bench`: prints each benchmark's figures as a table. Sizes are configurable:
 *   BENCH_RATE_SIZE (30000)  BENCH_PROJECTOR_ROWS (100000)  BENCH_MEMORY_SIZES (100000,1000000)
 *   BENCH_ONLY=rate,projector,peer,memory,webhooks,rebuild to run some of them (rebuild: BENCH_REBUILD_EVENTS,
 *   200000, not by default; peer: not by default, it
 *   fetches Kafka Connect and the Debezium JDBC sink from Maven Central on its first run).
 *   Webhooks: BENCH_WEBHOOK_RATE (200/s)  BENCH_WEBHOOK_SECONDS (60)  BENCH_WEBHOOK_WARMUP_SECONDS (10)
 *   BENCH_WEBHOOK_SOCKETS (256, the sender's keep-alive pool)  BENCH_WEBHOOK_TIMEOUT_MS (10000)
 *   BENCH_GATEWAY_ENTRY, BENCH_PROJECTOR_ENTRY (another gateway's or projector's main.ts, for A/B runs).
 *   BENCH_ONLY=kafka-tx: what a Kafka transaction costs the client and the broker, by its size
 *   (BENCH_KAFKA_TX transactions per size, 500); not by default.
 * Needs the stack (npm run stack:up); starts its own simulators and service processes. Its topics
 * (a namespace of its own, unless TRIBUTARY_TOPIC_NAMESPACE is given) are deleted at the end
 * unless BENCH_KEEP_TOPICS=1.
 */
async function main(): Promise<void> {
  // A namespace of the run's own, unless one is given (its topics are then never deleted here).
  const ownNamespace = process.env.TRIBUTARY_TOPIC_NAMESPACE === undefined;
  process.env.TRIBUTARY_TOPIC_NAMESPACE ??= `bench-${Date.now().toString(36)}.`;
  loadStackEnv();
  const { stackUp } = await import('../../stack/src/stack');
  Object.assign(process.env, {
    ...(await stackUp(() => undefined)),
    ...pickSet(['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'DATABASE_URL']),
  });
  try {
    await runBenchmarks();
  } finally {
    // A run publishes up to millions of events on topics of its own: left behind, a few evenings
    // of benchmarks grew the stack's Kafka data to 21 GB and slowed every later run.
    if (ownNamespace && !process.env.BENCH_KEEP_TOPICS) {
      await deleteRunTopics(process.env.TRIBUTARY_TOPIC_NAMESPACE);
    }
  }
}

/** Deletes the topics of this run's own namespace (BENCH_KEEP_TOPICS=1 keeps them). */
async function deleteRunTopics(namespace: string): Promise<void> {
  const { createKafka } = await import('@tributary/kafka');
  const admin = createKafka({
    clientId: 'bench-cleanup',
    brokers: process.env.KAFKA_BROKERS!.split(','),
  }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespace));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    console.log(
      `[bench] deleted this run's ${topics.length} topics (${namespace}*); BENCH_KEEP_TOPICS=1 keeps them`,
    );
  } catch (err) {
    console.error(`[bench] could not delete this run's topics (${namespace}*): ${(err as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function runBenchmarks(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? 'rate,projector,memory,webhooks').split(','));
  const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

  if (only.has('rate')) {
    const { benchRateBound } = await import('./repcard-rate');
    console.log('[bench] full sync against the rate-limit bound (300 ms latency)...');
    printTable('RepCard full sync vs rate-limit bound', [
      await benchRateBound({
        size: num('BENCH_RATE_SIZE', 30_000),
        limit: 100,
        periodMs: 10_000,
        latencyMs: 300,
      }),
    ]);
  }
  if (only.has('projector')) {
    const { benchProjector } = await import('./projector-throughput');
    console.log('[bench] projector throughput vs the COPY + upsert ceiling and the multi-row upsert...');
    printTable(
      'Projector throughput vs the COPY + upsert ceiling of this PostgreSQL',
      await benchProjector(num('BENCH_PROJECTOR_ROWS', 100_000)),
    );
  }
  if (only.has('peer')) {
    const { benchPeer } = await import('./peer');
    console.log('[bench] projector vs the Debezium JDBC sink on Kafka Connect...');
    printTable(
      'Projector vs a peer: Debezium JDBC sink (Kafka Connect standalone, 1 task)',
      await benchPeer(num('BENCH_PROJECTOR_ROWS', 100_000)),
    );
  }
  if (only.has('memory')) {
    const { benchMemory } = await import('./memory');
    const rows = [];
    for (const size of (process.env.BENCH_MEMORY_SIZES ?? '100000,1000000').split(',').map(Number)) {
      console.log(`[bench] peak RSS during a ${size}-record sync...`);
      rows.push(await benchMemory(size));
      printTable('Peak RSS by sync size (memory must not grow with data size)', rows);
    }
  }
  if (only.has('rebuild'))
    printTable(
      'Rebuild vs raw COPY + upsert',
      await (await import('./rebuild')).benchRebuild(num('BENCH_REBUILD_EVENTS', 200_000)),
    );
  if (only.has('kafka-tx')) {
    const { benchKafkaTransactions } = await import('./kafka-transactions');
    console.log('[bench] the cost of a Kafka transaction, by its size...');
    printTable(
      'Kafka transaction cost (TransactionalPublisher, back to back)',
      await benchKafkaTransactions(),
    );
  }
  if (only.has('webhooks')) {
    const { benchWebhooks } = await import('./webhooks');
    printTable('Webhook to row visible in Postgres', [await benchWebhooks()]);
  }
}

function pickSet(keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench] error: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
