import { Pool } from 'pg';
import { createTestDatabase, startServiceProcess, type TestDatabase } from '@tributary/testkit';
import { MIGRATION_SETS } from '../src/migration-sets';

/**
 * `npm run migrate` (the Helm chart's migration Job) as a process: every migration set applied once,
 * under advisory locks, whoever else runs at the same time.
 */
describe('the migrate command', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_migrate');
    pool = new Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const run = async (): Promise<{ code: number | null; lines: string[] }> => {
    const p = startServiceProcess(
      'migrate',
      { DATABASE_URL: db.url },
      'services/projector/src/migrate-main.ts',
    );
    const code = await p.exited;
    return { code, lines: p.lines };
  };
  const appliedVersions = async (table: string): Promise<number> =>
    Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

  it('when two run at once on an empty database, then both exit 0 and every set is applied once', async () => {
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    for (const set of MIGRATION_SETS) {
      expect(await appliedVersions(set.table)).toBeGreaterThan(0);
    }
    const appliedLines = [...a.lines, ...b.lines].filter((l) => l.includes('"migration.applied"'));
    expect(new Set(appliedLines.map((l) => `${JSON.parse(l).set}:${JSON.parse(l).version}`)).size).toBe(
      appliedLines.length,
    );
  });

  it('when run again, then it exits 0 and applies nothing', async () => {
    const again = await run();
    expect(again.code).toBe(0);
    expect(again.lines.some((l) => l.includes('"migration.applied"'))).toBe(false);
  });

  it('when DATABASE_URL is not a postgres URL, then it exits 78 naming the variable', async () => {
    const p = startServiceProcess(
      'migrate',
      { DATABASE_URL: 'mysql://nope' },
      'services/projector/src/migrate-main.ts',
    );
    expect(await p.exited).toBe(78);
    expect(p.lines.join('\n')).toMatch(/DATABASE_URL/);
  });
});
