import './isolated-namespace';
import type { Pool } from 'pg';
import { startServiceProcess, waitFor, type ServiceProcess, type TestDatabase } from '@tributary/testkit';
import { acquireLease, holdsLease, releaseLease } from '../src/data-access/leases';
import { leaderTimings } from '../src/domain/leadership';
import {
  collectCommands,
  readModelDatabase,
  startInProcess,
  TEST_ADMIN,
  type InProcessScheduler,
} from './harness';
import { manualTime } from './manual-time';

// Two seconds of lease: a standby takes over within 2.67 s of the leader's death.
const LEASE_SECONDS = 2;
const { takeoverWithinMs } = leaderTimings(LEASE_SECONDS * 1000);

let db: TestDatabase;
let pool: Pool;
let kafka: Awaited<ReturnType<typeof collectCommands>>;

beforeAll(async () => {
  ({ db, pool } = await readModelDatabase());
  // A scheduler's start creates the topics (and the scheduler's tables) the test then reads.
  const bootstrap = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
  await bootstrap.stop();
  kafka = await collectCommands();
});

afterAll(async () => {
  await kafka?.stop();
  await pool?.end();
  await db?.drop();
});

/** 1 or 0 from a scheduler's `tributary_scheduler_leader` gauge. */
async function leads(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^tributary_scheduler_leader\{[^}]*\} (\d)$/m.exec(text);
  if (!match) throw new Error('no tributary_scheduler_leader in /metrics');
  return Number(match[1]);
}

const scheduled = (slotIso: string) =>
  kafka.commands.filter((c) => c.trigger === 'schedule' && c.requestedAt === slotIso);

/** Every scheduled slot seen so far and how many commands it got (one source scheduled: 1 each). */
function commandsPerSlot(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of kafka.commands.filter((x) => x.trigger === 'schedule'))
    out[c.requestedAt] = (out[c.requestedAt] ?? 0) + 1;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the cron lease', () => {
  it('when two replicas try the lease at once, then exactly one holds it; when it runs out, the other takes it', async () => {
    const name = 'test.lease.race';
    const [a, b] = await Promise.all([
      acquireLease(pool, name, 'a', 600),
      acquireLease(pool, name, 'b', 600),
    ]);
    expect([a.held, b.held].filter(Boolean)).toHaveLength(1);
    const winner = a.held ? 'a' : 'b';
    const loser = a.held ? 'b' : 'a';
    expect(await acquireLease(pool, name, loser, 600)).toEqual({ held: false, holder: winner });
    expect(await acquireLease(pool, name, winner, 600)).toEqual({ held: true, term: 1 });
    await sleep(700);
    expect(await holdsLease(pool, name, winner)).toBe(false);
    expect(await acquireLease(pool, name, loser, 600)).toEqual({ held: true, term: 2 });
    expect(await releaseLease(pool, name, winner)).toBe(false);
    expect(await releaseLease(pool, name, loser)).toBe(true);
    expect(await acquireLease(pool, name, winner, 600)).toEqual({ held: true, term: 1 });
  });
});

describe('two schedulers in this process', () => {
  const env = {
    SCHEDULE_ENABLED: 'true',
    SCHEDULE_SOURCES: 'repcard',
    SCHEDULE_LEADER_LEASE_SECONDS: String(LEASE_SECONDS),
  };
  let a: InProcessScheduler | undefined;
  let b: InProcessScheduler | undefined;
  afterEach(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('when a slot is due, then only the leader requests it, once; when the leader stops, the other leads within the bound and requests the next slot', async () => {
    // One hand-moved clock for both schedules (the lease runs on real time).
    const time = manualTime('2031-06-01T01:59:30.000Z');
    a = await startInProcess(db.url, env, { clock: time.clock, timers: time.timers });
    b = await startInProcess(db.url, env, { clock: time.clock, timers: time.timers });
    const first = a;
    const second = b;
    expect([await leads(first.url), await leads(second.url)]).toEqual([1, 0]);
    await sleep(3 * leaderTimings(LEASE_SECONDS * 1000).renewEveryMs); // renewals: nobody steals the lease
    expect([await leads(first.url), await leads(second.url)]).toEqual([1, 0]);

    await time.advance(30_000); // 02:00: both timers fire
    await waitFor(() => scheduled('2031-06-01T02:00:00.000Z').length > 0, {
      timeoutMs: 30_000,
      description: 'the 02:00 slot on Kafka',
    });
    await sleep(1500);
    expect(scheduled('2031-06-01T02:00:00.000Z').map((c) => [c.source, c.mode, c.requestedBy])).toEqual([
      ['repcard', 'full', 'scheduler'],
    ]);
    const { rows } = await pool.query<{ slot_key: string }>(
      `SELECT slot_key FROM tributary_cron_slots WHERE slot_key LIKE 'schedule/2031-06-01T02:00%'`,
    );
    expect(rows.map((r) => r.slot_key)).toEqual(['schedule/2031-06-01T02:00:00.000Z/repcard/full']);

    const stoppedAt = Date.now();
    await first.stop();
    a = undefined;
    await waitFor(async () => (await leads(second.url)) === 1, {
      timeoutMs: 10_000,
      intervalMs: 50,
      description: 'the second scheduler leads',
    });
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual(takeoverWithinMs);

    await time.advance(4 * 3600_000); // 06:00, an incremental slot
    await waitFor(() => scheduled('2031-06-01T06:00:00.000Z').length > 0, {
      timeoutMs: 30_000,
      description: 'the 06:00 slot on Kafka',
    });
    await sleep(1000);
    expect(scheduled('2031-06-01T06:00:00.000Z').map((c) => c.mode)).toEqual(['incremental']);
  });
});

describe('two scheduler processes', () => {
  let procs: ServiceProcess[] = [];
  afterEach(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    procs = [];
  });

  it('when the leader is killed (kill -9) just before a slot, then the other leads within the bound and the slot is requested once', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', DATABASE_URL: db.url };
    for (const k of ['ADMIN_TOKEN', 'CRON_SECRET', 'TRIBUTARY_DEMO']) delete env[k];
    Object.assign(env, {
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      SCHEDULE_ENABLED: 'true',
      SCHEDULE_SOURCES: 'repcard',
      // A slot every minute; the full sync never in this test.
      SCHEDULE_INCREMENTAL_CRON: '* * * * *',
      SCHEDULE_FULL_CRON: '0 3 1 1 *',
      SCHEDULE_LEADER_LEASE_SECONDS: String(LEASE_SECONDS),
    });
    procs = [startServiceProcess('scheduler', env), startServiceProcess('scheduler', env)];
    const urls = await Promise.all(procs.map(async (p) => `http://127.0.0.1:${await p.port()}`));
    await Promise.all(procs.map((p) => p.ready()));
    const states = await Promise.all(urls.map(leads));
    expect(states.sort()).toEqual([0, 1]);
    const leader = (await leads(urls[0]!)) === 1 ? 0 : 1;
    const standby = 1 - leader;

    // Kill the leader 1.2 s before the next minute: the slot falls in the handover (or just after it).
    let slot = Math.ceil((Date.now() + 1) / 60_000) * 60_000;
    if (slot - Date.now() < 3000) slot += 60_000;
    await sleep(slot - 1200 - Date.now());
    const killedAt = Date.now();
    await procs[leader]!.kill9();
    await waitFor(async () => (await leads(urls[standby]!)) === 1, {
      timeoutMs: 15_000,
      intervalMs: 50,
      description: 'the standby leads',
    });
    const takeoverMs = Date.now() - killedAt;
    // The bound, plus the /metrics poll and a busy machine's event-loop delay (the figure is printed).
    expect(takeoverMs).toBeLessThanOrEqual(takeoverWithinMs + 1000);
    expect(procs[standby]!.lines.some((l) => l.includes('"leader.gained"'))).toBe(true);

    const slotIso = new Date(slot).toISOString();
    await waitFor(() => scheduled(slotIso).length > 0, {
      timeoutMs: 30_000,
      description: `the ${slotIso} slot on Kafka`,
    });
    await sleep(2000);
    expect(scheduled(slotIso)).toHaveLength(1);
    // No slot of the whole test requested twice.
    const perSlot = commandsPerSlot();
    expect(Object.values(perSlot).every((n) => n === 1)).toBe(true);
    process.stdout.write(
      `leader election: takeover ${takeoverMs} ms after kill -9 (bound ${takeoverWithinMs} ms); slots ${JSON.stringify(perSlot)}\n`,
    );
  });
});
