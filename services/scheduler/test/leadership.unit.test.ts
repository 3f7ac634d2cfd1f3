import { parseCron } from '../src/domain/cron';
import {
  evolveLeadership,
  FOLLOWER,
  leaderTimings,
  scheduledSlotKey,
  type Leadership,
} from '../src/domain/leadership';
import { latestFiring, type ScheduleEntry } from '../src/domain/schedule';

const LEASE = 9000;

describe('leader timings', () => {
  it('when the lease is 10 s, then the leader renews every 3.3 s and a standby takes over within 15 s', () => {
    const t = leaderTimings(10_000);
    expect(t.renewEveryMs).toBe(3333);
    expect(t.takeoverWithinMs).toBe(13_333);
    expect(t.takeoverWithinMs).toBeLessThanOrEqual(15_000);
    expect(t.catchUpMs).toBeGreaterThan(t.takeoverWithinMs);
  });

  it('when the lease is tiny, then renewals are still at least 100 ms apart', () => {
    expect(leaderTimings(150).renewEveryMs).toBe(100);
  });
});

describe('leadership', () => {
  const leader = (validUntil: number): Leadership => ({ leader: true, validUntil });

  it('when a follower holds the lease, then it gains the lead until the lease length after the attempt was sent', () => {
    expect(evolveLeadership(FOLLOWER, { kind: 'held', sentAt: 1000 }, LEASE)).toEqual({
      state: leader(10_000),
      change: 'gained',
    });
  });

  it('when a leader renews, then it stays leader with a later end and no change is reported', () => {
    expect(evolveLeadership(leader(10_000), { kind: 'held', sentAt: 4000 }, LEASE)).toEqual({
      state: leader(13_000),
      change: null,
    });
  });

  it('when a leader is refused, then it loses the lead at once', () => {
    expect(evolveLeadership(leader(10_000), { kind: 'refused', holder: 'b' }, LEASE)).toEqual({
      state: FOLLOWER,
      change: 'lost',
    });
  });

  it('when a follower is refused, then nothing changes', () => {
    expect(evolveLeadership(FOLLOWER, { kind: 'refused', holder: 'b' }, LEASE)).toEqual({
      state: FOLLOWER,
      change: null,
    });
  });

  it('when a renewal fails before the lease would run out, then the leader keeps leading', () => {
    expect(evolveLeadership(leader(10_000), { kind: 'failed', at: 9999 }, LEASE)).toEqual({
      state: leader(10_000),
      change: null,
    });
  });

  it('when renewals failed until the lease would have run out, then the leader steps down', () => {
    expect(evolveLeadership(leader(10_000), { kind: 'failed', at: 10_000 }, LEASE).change).toBe('lost');
    expect(evolveLeadership(leader(10_000), { kind: 'tick', at: 10_001 }, LEASE)).toEqual({
      state: FOLLOWER,
      change: 'lost',
    });
  });

  it('when time passes for a follower, then nothing changes', () => {
    expect(evolveLeadership(FOLLOWER, { kind: 'tick', at: 1e9 }, LEASE).change).toBeNull();
  });

  it('when a slot is keyed, then the key names the minute, the source and the mode apart from the cron endpoint', () => {
    expect(scheduledSlotKey(new Date('2031-05-05T02:00:00Z'), 'repcard', 'full')).toBe(
      'schedule/2031-05-05T02:00:00.000Z/repcard/full',
    );
  });
});

describe('latest firing', () => {
  const entries: ScheduleEntry[] = [
    { mode: 'incremental', cron: parseCron('0 */6 * * *') },
    { mode: 'full', cron: parseCron('0 2 * * *') },
  ];
  const at = (iso: string) => new Date(iso);

  it('when a slot is due in the window, then it is the one (full wins in its minute)', () => {
    expect(latestFiring(entries, at('2025-03-10T01:59:50Z'), at('2025-03-10T02:00:10Z'))).toEqual({
      at: at('2025-03-10T02:00:00Z'),
      mode: 'full',
    });
  });

  it('when the window ends exactly at the slot, then the slot is in it; when it starts there, not', () => {
    expect(latestFiring(entries, at('2025-03-10T05:59:00Z'), at('2025-03-10T06:00:00Z'))?.mode).toBe(
      'incremental',
    );
    expect(latestFiring(entries, at('2025-03-10T06:00:00Z'), at('2025-03-10T06:00:30Z'))).toBeNull();
  });

  it('when several slots are due in the window, then only the latest is', () => {
    expect(latestFiring(entries, at('2025-03-10T00:30:00Z'), at('2025-03-10T13:00:00Z'))).toEqual({
      at: at('2025-03-10T12:00:00Z'),
      mode: 'incremental',
    });
  });
});
