import type { RepcardEntity, SyncRequested } from '@tributary/contracts';
import { addDays, isoDay } from '@tributary/core';

/** Endpoint and filters of each RepCard entity (API-NOTES.md). */
export const REPCARD_ENDPOINTS: Record<
  RepcardEntity,
  { path: string; filter: 'none' | 'updated' | 'window' }
> = {
  users: { path: '/users/minimal', filter: 'none' },
  offices: { path: '/offices', filter: 'none' },
  customers: { path: '/customers', filter: 'updated' },
  appointments: { path: '/appointments', filter: 'window' },
  status_logs: { path: '/customers/status-logs', filter: 'window' },
  customer_attachments: { path: '/customers/attachments', filter: 'window' },
  appointment_attachments: { path: '/appointments/attachments', filter: 'window' },
};

export interface RequestPlanInput {
  entity: RepcardEntity;
  command: Pick<SyncRequested, 'mode' | 'window'>;
  /** The entity's high-water mark (ISO) from its checkpoint, if any. */
  highWaterMark: string | null;
  /** The run's start (the clock, passed in). */
  now: Date;
  /** First date of the history a full sync reads for entities whose date filter is required. */
  historyStart: string;
  /** Days the incremental window reaches back before the high-water mark's date. */
  overlapDays: number;
  perPage: number;
}

export interface RequestPlan {
  path: string;
  query: Record<string, string | number>;
  /** What the run covers, for the log: full, or the window. */
  describe: string;
}

/**
 * The query of every page of one entity. Incremental windows start at the high-water mark's date
 * minus the overlap, inclusive, and end one day after today because `to` dates behave as exclusive
 * (API-NOTES: unconfirmed, so one day more is asked); duplicates are absorbed by idempotent upserts.
 * An explicit window (--start-date / --end-date) wins over both.
 */
export function planRequests(input: RequestPlanInput): RequestPlan {
  const { entity, command, highWaterMark, now, historyStart, overlapDays, perPage } = input;
  const ep = REPCARD_ENDPOINTS[entity];
  const query: Record<string, string | number> = { per_page: perPage };
  const tomorrow = addDays(isoDay(now), 1);
  const explicitFrom = command.window.from;
  const explicitTo = command.window.to ? addDays(command.window.to, 1) : null;
  const incrementalFrom =
    command.mode === 'incremental' && highWaterMark
      ? addDays(highWaterMark.slice(0, 10), -overlapDays)
      : null;

  if (ep.filter === 'none') return { path: ep.path, query, describe: 'whole' };

  if (ep.filter === 'updated') {
    const from = explicitFrom ?? incrementalFrom;
    const to = explicitTo ?? (from ? tomorrow : null);
    if (from) query.last_updated_from = from;
    if (to) query.last_updated_to = to;
    return { path: ep.path, query, describe: from ? `updated ${from} .. ${to} (exclusive)` : 'full' };
  }

  const from = explicitFrom ?? incrementalFrom ?? historyStart;
  const to = explicitTo ?? tomorrow;
  query.from_date = from;
  query.to_date = to;
  return { path: ep.path, query, describe: `${from} .. ${to} (exclusive)` };
}
