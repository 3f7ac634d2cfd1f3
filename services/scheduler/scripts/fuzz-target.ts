/**
 * A scheduler for the API fuzzer (.ci/schemathesis.sh): a fresh database with the projector's schema,
 * topics under a namespace of their own (fuzzed sync requests never reach a real ingest), a known
 * admin token from FUZZ_TOKEN, the rate limit out of the way, and both API simulators as the
 * sources (the completeness report asks them). Prints `READY <url>` and runs until SIGTERM, then
 * drops its database.
 */
import { randomBytes } from 'node:crypto';
process.env.TRIBUTARY_TOPIC_NAMESPACE ??= `fuzz-${randomBytes(4).toString('hex')}.`;

async function main(): Promise<void> {
  const { loadStackEnv } = await import('@tributary/config');
  loadStackEnv(); // KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL of the running stack
  const { readModelDatabase, startInProcess } = await import('../test/harness');
  const token = process.env.FUZZ_TOKEN;
  if (!token || token.length < 32) throw new Error('set FUZZ_TOKEN (32+ characters)');
  const { db, pool } = await readModelDatabase();
  // The sources the reconcile route asks (small data sets: a report walks them within a request).
  const { createRepcardSimulator } = await import('../../../tools/sim-repcard/src');
  const { createCuragenesisSimulator, DEFAULT_API_KEY } = await import('../../../tools/sim-curagenesis/src');
  const repcard = createRepcardSimulator({
    seed: 5,
    size: 200,
    rateLimit: 100_000,
    ratePeriodMs: 1000,
    now: new Date(),
  });
  const curagenesis = createCuragenesisSimulator({ seed: 5, practices: 20, orders: 60 });
  process.env.NODE_ENV = 'test'; // the simulators answer on http://127.0.0.1 (source-url-policy.ts)
  process.env.REPCARD_API_URL = (await repcard.start()).url;
  process.env.REPCARD_API_KEY = repcard.config.apiKey;
  process.env.REPCARD_RATE_LIMIT = '100000';
  process.env.CURAGENESIS_API_URL = (await curagenesis.start()).url;
  process.env.CURAGENESIS_API_KEY = DEFAULT_API_KEY;
  const api = await startInProcess(db.url, {
    SCHEDULE_ENABLED: 'false',
    ADMIN_TOKEN: token,
    CRON_SECRET: randomBytes(24).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  process.stdout.write(`READY ${api.url}\n`);
  const stop = async (): Promise<void> => {
    await api.stop();
    await Promise.all([repcard.stop(), curagenesis.stop()]);
    await pool.end();
    await db.drop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`fuzz-target: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
