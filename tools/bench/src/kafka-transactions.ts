import { benchPublisher } from './bench-publisher';
import { TOPICS } from '@tributary/contracts';
import { withContracts } from '@tributary/service';
import { kafkaBrokerPid, processCpuSeconds } from './cpu';
import { customerChunks } from './customer-rows';

/**
 * What one Kafka transaction costs, apart from its records: back-to-back transactions of 1, 10 and
 * 50 records (RepCard customers, ~1 kB each) through the project's `TransactionalPublisher`
 * (kafkajs: FindCoordinator, AddPartitionsToTxn, Produce, FindCoordinator, EndTxn), with the CPU
 * of this process (the client) and of the broker (when it runs on this machine) per transaction
 * and per record. The webhook gateway commits a group of deliveries per transaction, so this is
 * the share of its CPU, and of Kafka's, that grows with the number of groups rather than of
 * deliveries. BENCH_KAFKA_TX (default 500) transactions per size, after 100 of warm-up.
 */
export async function benchKafkaTransactions(
  transactions = Number(process.env.BENCH_KAFKA_TX ?? 500),
): Promise<Record<string, string | number>[]> {
  const { producer } = await benchPublisher('bench-kafka-tx', 'bench-kafka-tx');
  const topic = TOPICS.repcardCustomers;
  const broker = kafkaBrokerPid();
  const rows: Record<string, string | number>[] = [];
  try {
    for (const size of [1, 10, 50]) {
      const chunks = [...customerChunks((transactions + 100) * size, { chunk: size })].map((c) =>
        withContracts(c.events.map((e) => ({ topic, key: e.id, value: e }))),
      );
      for (const records of chunks.slice(0, 100)) await producer.publishAtomically(records);
      const client0 = process.cpuUsage();
      const broker0 = processCpuSeconds(broker);
      const t0 = performance.now();
      for (const records of chunks.slice(100)) await producer.publishAtomically(records);
      const wallMs = performance.now() - t0;
      const client = process.cpuUsage(client0);
      const clientMs = (client.user + client.system) / 1000 / transactions;
      const broker1 = processCpuSeconds(broker);
      const brokerMs =
        broker0 !== undefined && broker1 !== undefined ? ((broker1 - broker0) * 1000) / transactions : NaN;
      const ms = (v: number) => (Number.isNaN(v) ? '?' : v.toFixed(2));
      rows.push({
        'records per transaction': size,
        transactions,
        'wall ms per transaction': ms(wallMs / transactions),
        'client CPU ms per transaction': ms(clientMs),
        'broker CPU ms per transaction': ms(brokerMs),
        'client + broker CPU µs per record': Number.isNaN(brokerMs)
          ? '?'
          : (((clientMs + brokerMs) * 1000) / size).toFixed(0),
      });
      console.log(`[bench]   ${size} record(s) per transaction: done`);
    }
  } finally {
    await producer.close();
  }
  return rows;
}
