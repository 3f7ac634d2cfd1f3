import type { SyncRequested } from '@tributary/contracts';
import { addDays } from '@tributary/core';

/** Paths of the partner API (API-NOTES.md), below CURAGENESIS_API_URL. */
export const PRACTICES_PATH = '/api/partner/v1/practices';
export const FINANCIALS_PATH = '/api/partner/v1/financials';

export interface PlanInput {
  command: Pick<SyncRequested, 'mode' | 'window'>;
  /** The entity's high-water mark (ISO): the start of the last run that completed it. */
  highWaterMark: string | null;
  overlapMinutes: number;
  pageSize: number;
}

export interface PracticesPlan {
  query: Record<string, string | number>;
  describe: string;
}

export interface OrdersPlan {
  /** How the orders sync walks the practices (always all of them: orders may arrive for any). */
  practicesQuery: Record<string, string | number>;
  /** Added to every `financials?practiceId=...` request. */
  financialsQuery: Record<string, string | number>;
  describe: string;
}

function sinceHighWaterMark(input: PlanInput): Date | null {
  if (input.command.mode !== 'incremental' || !input.highWaterMark) return null;
  const t = Date.parse(input.highWaterMark);
  return Number.isFinite(t) ? new Date(t - input.overlapMinutes * 60_000) : null;
}

/**
 * Practices: everything (full), or `updated_since` = last run start minus the overlap (incremental).
 * `updated_since` is a simulator assumption (inclusive), not in the public material; an API that
 * ignores it answers everything, which the idempotent upserts absorb.
 */
export function planPractices(input: PlanInput): PracticesPlan {
  const query: Record<string, string | number> = { page_size: input.pageSize };
  const since = sinceHighWaterMark(input);
  if (since) query.updated_since = since.toISOString();
  return { query, describe: since ? `updated since ${since.toISOString()}` : 'all' };
}

/**
 * Orders: the financials endpoint needs one selector, so the sync walks every practice and reads its
 * orders. Incremental: `from` = the date of the last run start minus the overlap (inclusive, whole
 * day). An explicit window wins; `to` is exclusive in the API, so one day more is asked.
 */
export function planOrders(input: PlanInput): OrdersPlan {
  const financialsQuery: Record<string, string | number> = { page_size: input.pageSize };
  const since = sinceHighWaterMark(input);
  const from = input.command.window.from ?? (since ? since.toISOString().slice(0, 10) : null);
  const to = input.command.window.to ? addDays(input.command.window.to, 1) : null;
  if (from) financialsQuery.from = from;
  if (to) financialsQuery.to = to;
  return {
    practicesQuery: { page_size: input.pageSize },
    financialsQuery,
    describe: from || to ? `orders dated ${from ?? '...'} .. ${to ?? '...'} (exclusive)` : 'all orders',
  };
}
