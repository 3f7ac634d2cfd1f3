import { cliDatabase, runCli } from './cli-harness';

// The cancel of a running sync, end to end, is in services/ingest-repcard/test/repcard-cancel.e2e.test.ts.
const ENDED = '33333333-cccc-4ccc-8ccc-000000000003';

const db = cliDatabase('cli', {
  seed: async (pool) => {
    await pool.query(
      `INSERT INTO sync_runs (sync_id, source, sync_type, status, started_at, ingest_completed_at, completed_at)
       VALUES ($1, 'repcard', 'full', 'completed', now() - interval '1 hour', now(), now())`,
      [ENDED],
    );
  },
});

describe('tributary cancel', () => {
  it('when the id is unknown, then it exits 1 and says so, and the refusal is audited', async () => {
    const unknown = '44444444-dddd-4ddd-8ddd-000000000004';
    const res = await runCli('cancel', unknown);
    expect(res.code).toBe(1);
    expect(res.err).toContain(`no sync run or queued request ${unknown}`);
    const { rows } = await db
      .pool()
      .query(`SELECT action, outcome, details FROM tributary_audit_log WHERE target = $1`, [unknown]);
    expect(rows).toEqual([{ action: 'sync.cancel', outcome: 'refused', details: { reason: 'unknown' } }]);
  });

  it('when the run has ended, then it exits 1 naming its status', async () => {
    const res = await runCli('cancel', ENDED, '--json');
    expect(res.code).toBe(1);
    expect(res.err).toContain(`sync ${ENDED} has already ended (completed)`);
  });

  it('when the id is missing, then it exits 2', async () => {
    expect((await runCli('cancel')).code).toBe(2);
  });
});
