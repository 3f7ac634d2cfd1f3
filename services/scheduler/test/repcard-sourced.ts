import type { Pool } from 'pg';
import type { TestDatabase } from '@tributary/testkit';
import { createRepcardSimulator, type RepcardSimulator } from '../../../tools/sim-repcard/src';
import { readModelDatabase, startInProcess, userWithToken, type InProcessScheduler } from './harness';

export interface RepcardSourced {
  db: TestDatabase;
  pool: Pool;
  api: InProcessScheduler;
  sim: RepcardSimulator;
  /** The simulator's base URL. */
  url: string;
  /** Headers of an operator's and a viewer's token. */
  operator: Record<string, string>;
  viewer: Record<string, string>;
}

/**
 * The scheduler in this process over real (empty) read models, with a RepCard simulator as its
 * source: the routes read the ingest's variables from the environment, as the scheduler's do under
 * `npm start` (no CuraGenesis source). Registers the test file's beforeAll / afterAll; the fields
 * are set once beforeAll ran.
 */
export function repcardSourcedScheduler(
  simOptions: Parameters<typeof createRepcardSimulator>[0],
  rateLimit: number,
): RepcardSourced {
  const s = {} as RepcardSourced;
  const saved = { ...process.env };
  beforeAll(async () => {
    ({ db: s.db, pool: s.pool } = await readModelDatabase());
    s.sim = createRepcardSimulator({ now: new Date(), ...simOptions });
    s.url = (await s.sim.start()).url;
    Object.assign(process.env, {
      REPCARD_API_URL: s.url,
      REPCARD_API_KEY: s.sim.config.apiKey,
      REPCARD_RATE_LIMIT: String(rateLimit),
    });
    delete process.env.CURAGENESIS_API_KEY;
    delete process.env.CURAGENESIS_API_URL;
    s.api = await startInProcess(s.db.url, { SCHEDULE_ENABLED: 'false' });
    s.operator = (await userWithToken(s.pool, 'operator')).headers;
    s.viewer = (await userWithToken(s.pool, 'viewer')).headers;
  });
  afterAll(async () => {
    process.env = saved;
    await s.api?.stop();
    await s.sim?.stop();
    await s.pool?.end();
    await s.db?.drop();
  });
  return s;
}
