import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '@tributary/testkit';
import { differences, syncLog } from '../../../libs/testkit/src/repcard-compare';
import { runCli, startPipeline, syncIdOf, type Pipeline } from '../../../libs/testkit/src/repcard-pipeline';

describe('RepCard sync under faults', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when the API answers 429 storms and 5xx bursts, then the sync completes and the simulator counts zero rate-limit violations', async () => {
    p = await startPipeline({
      seed: 505,
      size: 6_000,
      rateLimit: 30,
      ratePeriodMs: 1000,
      latencyMs: 20,
      faults: {
        rateLimit429Storm: { count: 15, after: 5 },
        errorBurst: { status: 503, count: 4, every: 25, after: 10 },
      },
    });
    const res = await runCli(p, []);
    expect(res.code).toBe(0);
    const stats = p.sim.stats();
    expect(stats.injected429).toBeGreaterThan(0);
    expect(stats.injected5xx).toBeGreaterThan(0);
    expect(stats.rateLimitViolations).toBe(0);
    expect(await differences(p.pool, p.sim)).toEqual([]);
  });

  it('when records are malformed, then they reach the DLQ with their error, count as failed, and the rest is projected', async () => {
    p = await startPipeline({ seed: 606, size: 5_000, rateLimit: 100_000, faults: { malformedRate: 0.01 } });
    const res = await runCli(p, []);
    expect(res.code).toBe(0);
    const log = await syncLog(p.pool, syncIdOf(res.stdout));
    const malformed = p.sim.dataset.malformedIndices('customers').length;
    expect(malformed).toBeGreaterThan(0);
    expect(log.get('customers')).toMatchObject({
      status: 'completed',
      records_failed: malformed,
      records_inserted: p.sim.dataset.count('customers') - malformed,
    });
    expect(await differences(p.pool, p.sim)).toEqual([]);

    const kafka = new Kafka({
      clientId: 'dlq-check',
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${p.namespace}dlq-check` });
    const errors: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${p.namespace}repcard.customers.v1.dlq`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void errors.push(String(message.headers?.['x-dlq-error'] ?? '')),
    });
    await waitFor(() => errors.length >= malformed, { timeoutMs: 30_000, description: 'DLQ records' });
    await consumer.disconnect();
    expect(errors).toHaveLength(malformed);
    expect(errors.every((e) => /malformed customers record/.test(e))).toBe(true);
  });
});
