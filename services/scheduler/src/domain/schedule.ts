import type { SyncMode } from '@tributary/contracts';
import { nextRun, type CronSchedule } from './cron';

/** One line of the schedule: which kind of sync, when. */
export interface ScheduleEntry {
  mode: SyncMode;
  cron: CronSchedule;
}

/** A due sync: the minute it is due and the mode that runs then. */
export interface Firing {
  at: Date;
  mode: SyncMode;
}

/** When two entries fall in the same minute, the higher rank runs (a full sync covers an incremental one). */
const RANK: Readonly<Record<SyncMode, number>> = { full: 2, incremental: 1 };

/**
 * The first firing strictly after `after`: the earliest next run among the entries; in a minute
 * where several entries are due, only the highest-ranked mode fires (full wins over incremental).
 * Null without entries.
 */
export function nextFiring(entries: readonly ScheduleEntry[], after: Date): Firing | null {
  let best: Firing | null = null;
  for (const entry of entries) {
    const at = nextRun(entry.cron, after);
    if (
      best === null ||
      at.getTime() < best.at.getTime() ||
      (at.getTime() === best.at.getTime() && RANK[entry.mode] > RANK[best.mode])
    ) {
      best = { at, mode: entry.mode };
    }
  }
  return best;
}

/** The next `count` firings after `after`, in order (for the dashboard and the start-up log). */
export function upcomingFirings(entries: readonly ScheduleEntry[], after: Date, count: number): Firing[] {
  const out: Firing[] = [];
  let from = after;
  for (let i = 0; i < count; i++) {
    const next = nextFiring(entries, from);
    if (!next) break;
    out.push(next);
    from = next.at;
  }
  return out;
}

/**
 * The latest firing due in (`from`, `to`], or null: the slot a new leader fires when it takes over
 * (a slot that fell in the handover). Only the latest one: earlier slots of the window are not
 * caught up, as after any stall.
 */
export function latestFiring(entries: readonly ScheduleEntry[], from: Date, to: Date): Firing | null {
  let latest: Firing | null = null;
  let after = from;
  for (;;) {
    const next = nextFiring(entries, after);
    if (!next || next.at.getTime() > to.getTime()) return latest;
    latest = next;
    after = next.at;
  }
}
