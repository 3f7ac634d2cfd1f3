/**
 * Leader election of the scheduler's cron (ADR 0019), the pure part: how often a replica renews or
 * tries the lease, how soon a standby takes over, and what one attempt does to a replica's belief
 * that it leads. No timers, no pg: times are a monotonic clock in milliseconds, passed in.
 *
 * The lease itself lives in PostgreSQL (`tributary_leases`, expiry computed by the server's clock);
 * a replica believes it leads from an attempt that held the lease until `leaseMs` after the attempt
 * was SENT (never after its answer), so it stops believing before the server lets another replica in.
 */

/** How the lease is timed, from its length. */
export interface LeaderTimings {
  leaseMs: number;
  /** The leader renews, and each standby tries, this often: a third of the lease. */
  renewEveryMs: number;
  /**
   * Longest time from a leader's death (killed, cut off) to a standby leading: the lease runs out
   * at most `leaseMs` after its last renewal, and a standby tries within `renewEveryMs` of that.
   */
  takeoverWithinMs: number;
  /**
   * On gaining the lead, a slot due at most this long ago is fired if no replica fired it (the slot
   * fell in the handover): the takeover bound plus one more renewal period of margin.
   */
  catchUpMs: number;
}

export function leaderTimings(leaseMs: number): LeaderTimings {
  const renewEveryMs = Math.max(100, Math.floor(leaseMs / 3));
  const takeoverWithinMs = leaseMs + renewEveryMs;
  return { leaseMs, renewEveryMs, takeoverWithinMs, catchUpMs: takeoverWithinMs + renewEveryMs };
}

/** What one replica believes. */
export type Leadership =
  | { readonly leader: false }
  | {
      readonly leader: true;
      /** Monotonic ms until which the lease is surely ours (attempt sent + lease length). */
      readonly validUntil: number;
    };

export const FOLLOWER: Leadership = { leader: false };

/** What happened: an attempt's answer, or the belief running out without a renewal. */
export type LeaseEvent =
  /** The acquire-or-renew statement returned our row: the lease is ours. `sentAt`: when it was sent. */
  | { kind: 'held'; sentAt: number }
  /** The statement returned no row: another replica holds an unexpired lease. */
  | { kind: 'refused'; holder: string | null }
  /** The statement failed (PostgreSQL unreachable, timeout): nothing is known; `at`: now. */
  | { kind: 'failed'; at: number }
  /** Time passed; `at`: now. */
  | { kind: 'tick'; at: number };

export type LeadershipChange = 'gained' | 'lost' | null;

/**
 * The next belief after `event`. A failed attempt changes nothing until the belief runs out (a
 * blip of PostgreSQL shorter than the lease does not hand the cron over); a refusal ends it at once.
 */
export function evolveLeadership(
  state: Leadership,
  event: LeaseEvent,
  leaseMs: number,
): { state: Leadership; change: LeadershipChange } {
  switch (event.kind) {
    case 'held': {
      const next: Leadership = { leader: true, validUntil: event.sentAt + leaseMs };
      return { state: next, change: state.leader ? null : 'gained' };
    }
    case 'refused':
      return { state: FOLLOWER, change: state.leader ? 'lost' : null };
    case 'failed':
    case 'tick':
      if (state.leader && event.at >= state.validUntil) return { state: FOLLOWER, change: 'lost' };
      return { state, change: null };
    default: {
      const never: never = event;
      throw new Error(`unknown lease event ${JSON.stringify(never)}`);
    }
  }
}

/** The key under which a scheduled slot of one source and mode is claimed (tributary_cron_slots). */
export function scheduledSlotKey(slotAt: Date, source: string, mode: string): string {
  return `schedule/${slotAt.toISOString()}/${source}/${mode}`;
}
