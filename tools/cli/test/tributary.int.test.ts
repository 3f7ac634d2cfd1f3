import { cliDatabase, runCli } from './cli-harness';

let out = '';
let err = '';

async function run(...argv: string[]): Promise<number> {
  const res = await runCli(...argv);
  out = res.out;
  err = res.err;
  return res.code;
}

cliDatabase('cli', {
  seed: async (pool) => {
    await pool.query(
      `INSERT INTO sync_runs (sync_id, source, sync_type, trigger, requested_by, entities, status, started_at, completed_at)
       VALUES ('11111111-aaaa-4aaa-8aaa-000000000001', 'repcard', 'full', 'cli', 'ana', '{users,offices}', 'completed',
               now() - interval '4 hours', now() - interval '3 hours'),
              ('22222222-bbbb-4bbb-8bbb-000000000002', 'repcard', 'incremental', 'schedule', null, '{users}', 'running',
               now() - interval '5 minutes', null)`,
    );
    await pool.query(
      `INSERT INTO sync_log (sync_id, source, entity_type, sync_type, status, records_fetched, records_seen, records_inserted,
                             records_updated, records_failed, started_at, completed_at, error_message)
       VALUES ('11111111-aaaa-4aaa-8aaa-000000000001', 'repcard', 'users', 'full', 'completed', 40, 40, 39, 0, 1,
               now() - interval '4 hours', now() - interval '3 hours', null),
              ('11111111-aaaa-4aaa-8aaa-000000000001', 'repcard', 'offices', 'full', 'failed', 0, 0, 0, 0, 0,
               now() - interval '4 hours', now() - interval '3 hours', 'offices: API answered 500')`,
    );
  },
});

describe('tributary CLI on real read models', () => {
  it('when runs are listed, then the newest comes first and every line fits 80 columns', async () => {
    expect(await run('runs', '--source', 'repcard')).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^22222222\s+repcard\s+incremental\s+running/);
    expect(lines[2]).toMatch(/^11111111\s+repcard\s+full\s+completed\s.*\s40$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('when one run is shown, then each entity, its counts and its error are printed; --json gives the same run', async () => {
    expect(await run('run', '11111111-aaaa-4aaa-8aaa-000000000001')).toBe(0);
    const text = out;
    expect(text).toMatch(/repcard full sync 11111111-aaaa-4aaa-8aaa-000000000001: completed, cli by ana/);
    expect(text).toMatch(/users\s+completed\s+40\s+39\s+0\s+0\s+1/);
    expect(text).toMatch(/offices: offices: API answered 500/);
    expect(await run('run', '11111111-aaaa-4aaa-8aaa-000000000001', '--json')).toBe(0);
    const json = JSON.parse(out) as { syncId: string; entityLogs: { entityType: string }[] };
    expect(json.syncId).toBe('11111111-aaaa-4aaa-8aaa-000000000001');
    expect(json.entityLogs.map((e) => e.entityType)).toEqual(['users', 'offices']);
  });

  it('when an unknown run is asked for, then it exits 1 with a message', async () => {
    expect(await run('run', 'no-such-run')).toBe(1);
    expect(err).toMatch(/no sync run no-such-run/);
  });

  it('when status is asked, then each source shows its latest run and last successful sync', async () => {
    expect(await run('status')).toBe(0);
    const text = out;
    expect(text).toMatch(/repcard\n\s+latest run:\s+running incremental, \d+ min ago \(22222222\)/);
    expect(text).toMatch(/last successful: completed full, 3 h ago \(11111111\)/);
    expect(text).toMatch(/curagenesis\n\s+latest run:\s+none/);
  });

  it('when options are bad, then it exits 2 and says why', async () => {
    expect(await run('runs', '--limit', '0')).toBe(2);
    expect(err).toMatch(/--limit: 0 is not a whole number/);
    expect(await run('runs', '--source', 'nope')).toBe(2);
    expect(await run('sync', 'nope')).toBe(2);
    expect(err).toMatch(/unknown source nope/);
    expect(await run('frobnicate')).toBe(2);
    expect(await run('--help')).toBe(0);
    expect(out).toMatch(/Exit codes: 0 done/);
  });
});
