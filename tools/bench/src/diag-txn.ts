import { Kafka, logLevel } from 'kafkajs';
const kafka = new Kafka({ clientId: 'diag', brokers: ['127.0.0.1:9092'], logLevel: logLevel.DEBUG, logCreator: () => ({ namespace, log }) => {
  if (/retry|Retrying|CONCURRENT|error/i.test(log.message)) console.log(Date.now() % 100000, namespace, log.message, (log as any).retryTime ?? '');
} });
async function main() {
  const admin = kafka.admin(); await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'diag-a', numPartitions: 3 }, { topic: 'diag-b', numPartitions: 3 }] }).catch(() => undefined);
  await admin.disconnect();
  const p = kafka.producer({ transactionalId: 'diag-' + process.pid, idempotent: true, maxInFlightRequests: 1, retry: { initialRetryTime: 20, maxRetryTime: 2000, retries: 1e9 } });
  await p.connect();
  const t: number[][] = [];
  for (let i = 0; i < 300; i++) {
    const a = performance.now();
    const tx = await p.transaction();
    const b = performance.now();
    await tx.sendBatch({ acks: -1, topicMessages: [{ topic: 'diag-a', messages: [{ key: 'k' + i, value: 'x'.repeat(500) }] }, { topic: 'diag-b', messages: [{ key: 'k' + i, value: 'y' }] }] });
    const c = performance.now();
    await tx.commit();
    const d = performance.now();
    t.push([b - a, c - b, d - c, d - a]);
  }
  for (let k = 0; k < 4; k++) {
    const s = t.map((x) => x[k]!).sort((x, y) => x - y);
    console.log(['begin', 'send', 'commit', 'total'][k], 'p50', s[150]!.toFixed(1), 'p99', s[296]!.toFixed(1), 'max', s[299]!.toFixed(1));
  }
  await p.disconnect();
}
main();
