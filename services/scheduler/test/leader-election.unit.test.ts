import type { Pool } from 'pg';
import { createMetrics, nullLogger } from '@tributary/observability';
import { startLeaderElection } from '../src/entry-points/leader-election';
import { manualTime } from './manual-time';

/** A stand-in pool: each lease statement answers as `next` says (held, refused, failing or hanging). */
function fakePool() {
  let mode: 'held' | 'refused' | 'fail' | 'hang' = 'held';
  const statements: string[] = [];
  const pool = {
    query: async (sql: string) => {
      const kind = /^\s*(\w+)/.exec(sql)![1]!;
      statements.push(kind);
      if (kind === 'DELETE') return { rows: [], rowCount: 1 };
      if (mode === 'fail') throw new Error('connection refused');
      if (mode === 'hang') return new Promise(() => undefined);
      if (kind === 'INSERT') return { rows: mode === 'held' ? [{ term: '1' }] : [] };
      return { rows: [{ holder: 'other' }] };
    },
  };
  return { pool: pool as unknown as Pool, statements, set: (m: typeof mode) => (mode = m) };
}

async function start(mode: 'held' | 'refused') {
  const time = manualTime('2025-03-10T00:00:00Z');
  const db = fakePool();
  db.set(mode);
  const metrics = createMetrics('scheduler');
  const gained: number[] = [];
  const election = await startLeaderElection({
    pool: db.pool,
    name: 'scheduler.cron',
    holder: 'me',
    leaseMs: 3000,
    logger: nullLogger(),
    metrics,
    timers: time.timers,
    monotonicNow: () => time.clock.now().getTime(),
    onGained: () => gained.push(time.clock.now().getTime()),
  });
  const gauge = async () =>
    /tributary_scheduler_leader\{[^}]*\} (\d)/.exec(await metrics.registry.metrics())![1];
  return { time, db, election, gained, gauge };
}

describe('leader election loop', () => {
  it('when the first attempt holds the lease, then it leads from the start, renews every third of the lease, and the gauge is 1', async () => {
    const { time, db, election, gained, gauge } = await start('held');
    expect(election.isLeader()).toBe(true);
    expect(gained).toHaveLength(1);
    expect(await gauge()).toBe('1');
    await time.advance(3000);
    expect(db.statements.filter((s) => s === 'INSERT')).toHaveLength(4);
    expect(election.isLeader()).toBe(true);
    await election.stop();
  });

  it('when another replica holds the lease, then it stands by with the gauge at 0 until the lease is free', async () => {
    const { time, db, election, gained, gauge } = await start('refused');
    expect(election.isLeader()).toBe(false);
    expect(await gauge()).toBe('0');
    db.set('held');
    await time.advance(1000);
    expect(election.isLeader()).toBe(true);
    expect(gained).toHaveLength(1);
    await election.stop();
  });

  it('when renewals fail, then it keeps leading until the lease would have run out, then steps down', async () => {
    const { time, db, election, gauge } = await start('held');
    db.set('fail');
    await time.advance(2999);
    expect(election.isLeader()).toBe(true);
    await time.advance(1);
    expect(election.isLeader()).toBe(false);
    expect(await gauge()).toBe('0');
    await election.stop();
  });

  it('when a renewal hangs, then its own timer still ends the lead when the lease runs out, and stop does not wait for it', async () => {
    const { time, db, election } = await start('held');
    db.set('hang');
    await time.advance(3000);
    expect(election.isLeader()).toBe(false);
    const stopped = election.stop();
    await time.advance(1000);
    await stopped;
  });

  it('when stopped while leading, then the lease is given up and the gauge is 0', async () => {
    const { db, election, gauge } = await start('held');
    await election.stop();
    expect(db.statements.at(-1)).toBe('DELETE');
    expect(election.isLeader()).toBe(false);
    expect(await gauge()).toBe('0');
  });
});
