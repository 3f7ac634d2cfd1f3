import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { createPool, migrate } from '@tributary/db';
import type { ReconcileReport } from '@tributary/sync';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import { createCuragenesisSimulator, type CuragenesisSimulator } from '../../../tools/sim-curagenesis/src';

// `tributary reconcile curagenesis` against the simulator: one walk of the practices pages counts
// practices (per activation month) and sums totalOrders; the read model is seeded without one month.
const ROOT = join(__dirname, '..', '..', '..');
let db: TestDatabase;
let pool: Pool;
let sim: CuragenesisSimulator;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase('reconcile-cg');
  pool = createPool(db.url, { max: 2 });
  await migrate(pool, MIGRATIONS_DIR);
  sim = createCuragenesisSimulator({ seed: 11, practices: 250, orders: 1_500, now: new Date() });
  ({ url } = await sim.start());
});

afterAll(async () => {
  await sim?.stop();
  await pool?.end();
  await db?.drop();
});

async function reconcile(args: string[]): Promise<{ code: number; report: ReconcileReport }> {
  const run = promisify(execFile);
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    CURAGENESIS_API_URL: url,
    CURAGENESIS_API_KEY: 'sim-curagenesis-key',
    CURAGENESIS_PAGE_SIZE: '100',
  };
  const cli = [require.resolve('tsx/cli'), 'tools/cli/src/tributary.ts', 'reconcile', 'curagenesis', ...args];
  const res = await run(process.execPath, cli, { cwd: ROOT, env }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { code: res.code, report: (JSON.parse(res.stdout) as { report: ReconcileReport }).report };
}

it('when the read model lacks the practices of one month and every order, then those rows are gaps and order windows unknown', async () => {
  const practices = [...sim.dataset.iteratePractices()];
  const monthOf = (p: (typeof practices)[number]) => p.activatedAtIso?.slice(0, 7) ?? null;
  const months = practices
    .map(monthOf)
    .filter((m): m is string => m !== null)
    .sort();
  const planted = months[months.length - 1]!;
  const kept = practices.filter((p) => monthOf(p) !== planted);
  for (const p of kept) {
    await pool.query(
      `INSERT INTO curagenesis_practices (practice_id, activated_at, raw_data, version_at, last_source)
       VALUES ($1, $2, '{}'::jsonb, now(), 'poll')`,
      [p.practiceId, p.activatedAtIso],
    );
  }
  const { code, report } = await reconcile(['--since', months[0]!, '--json']);
  expect(code).toBe(3);
  const row = (entity: string, window: string) =>
    report.rows.find((r) => r.entity === entity && r.window === window)!;
  expect(row('practices', 'all')).toMatchObject({
    source: practices.length,
    readModel: kept.length,
    verdict: 'gap',
  });
  expect(row('practices', planted)).toMatchObject({
    readModel: 0,
    verdict: 'gap',
    missing: practices.length - kept.length,
  });
  const otherMonths = report.rows.filter(
    (r) => r.entity === 'practices' && r.window !== 'all' && r.window !== planted,
  );
  expect(otherMonths.every((r) => r.verdict === 'complete')).toBe(true);
  const totalOrders = practices.reduce((n, p) => n + p.totalOrders, 0);
  expect(row('orders', 'all')).toMatchObject({ source: totalOrders, readModel: 0, verdict: 'gap' });
  expect(
    report.rows
      .filter((r) => r.entity === 'orders' && r.window !== 'all')
      .every((r) => r.verdict === 'unknown'),
  ).toBe(true);
  expect(report.requests).toBe(Math.ceil(practices.length / 100));
});
