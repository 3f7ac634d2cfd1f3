import { addDays, isoDay } from '@tributary/core';

/** How a completeness report cuts time: one row per UTC day or per UTC calendar month. */
export const WINDOW_SIZES = ['day', 'month'] as const;
export type WindowSize = (typeof WINDOW_SIZES)[number];

/** A UTC date range: `from` inclusive, `to` exclusive (both `YYYY-MM-DD`); `label` names it. */
export interface TimeWindow {
  label: string;
  from: string;
  to: string;
}

/** The first day of the window of `by` that holds `date`. */
export function windowStart(by: WindowSize, date: string): string {
  return by === 'day' ? date : `${date.slice(0, 7)}-01`;
}

function nextStart(by: WindowSize, start: string): string {
  if (by === 'day') return addDays(start, 1);
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return isoDay(d);
}

/**
 * Where a report starts when `--since` is not given: the first day of the month eleven months back
 * (twelve month rows), or thirty days back (thirty-one day rows).
 */
export function defaultSince(by: WindowSize, now: Date): string {
  if (by === 'day') return addDays(isoDay(now), -30);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return isoDay(d);
}

/** The windows of `by` from the one holding `since` to the one holding `today`, oldest first. */
export function windowsFrom(by: WindowSize, since: string, today: string): TimeWindow[] {
  const out: TimeWindow[] = [];
  for (let start = windowStart(by, since); start <= today; start = nextStart(by, start)) {
    out.push({ label: by === 'day' ? start : start.slice(0, 7), from: start, to: nextStart(by, start) });
  }
  return out;
}

/** The inclusive last day of a window (what a sync's `--end-date` takes). */
export function lastDayOf(window: TimeWindow): string {
  return addDays(window.to, -1);
}
