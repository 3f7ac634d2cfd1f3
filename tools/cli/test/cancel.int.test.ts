import type { Pool } from 'pg';
import { createPool, migrate } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import { runProgram } from '../src/program';

// The cancel of a running sync, end to end, is in services/ingest-repcard/test/repcard-cancel.e2e.test.ts.
let db: TestDatabase;
let pool: Pool;
let savedUrl: string | undefined;
let err: string[];

async function run(...argv: string[]): Promise<number> {
  err = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    return await runProgram(argv);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const ENDED = '33333333-cccc-4ccc-8ccc-000000000003';

beforeAll(async () => {
  db = await createTestDatabase('cli');
  pool = createPool(db.url, { max: 2 });
  await migrate(pool, MIGRATIONS_DIR);
  await pool.query(
    `INSERT INTO sync_runs (sync_id, source, sync_type, status, started_at, ingest_completed_at, completed_at)
     VALUES ($1, 'repcard', 'full', 'completed', now() - interval '1 hour', now(), now())`,
    [ENDED],
  );
  savedUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url;
});

afterAll(async () => {
  process.env.DATABASE_URL = savedUrl;
  await pool.end();
  await db.drop();
});

describe('tributary cancel', () => {
  it('when the id is unknown, then it exits 1 and says so, and the refusal is audited', async () => {
    const unknown = '44444444-dddd-4ddd-8ddd-000000000004';
    expect(await run('cancel', unknown)).toBe(1);
    expect(err.join('')).toContain(`no sync run or queued request ${unknown}`);
    const { rows } = await pool.query(
      `SELECT action, outcome, details FROM tributary_audit_log WHERE target = $1`,
      [unknown],
    );
    expect(rows).toEqual([{ action: 'sync.cancel', outcome: 'refused', details: { reason: 'unknown' } }]);
  });

  it('when the run has ended, then it exits 1 naming its status', async () => {
    expect(await run('cancel', ENDED, '--json')).toBe(1);
    expect(err.join('')).toContain(`sync ${ENDED} has already ended (completed)`);
  });

  it('when the id is missing, then it exits 2', async () => {
    expect(await run('cancel')).toBe(2);
  });
});
