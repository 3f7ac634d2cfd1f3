import { COMPANY_ID, CUSTOMER_STATUSES } from '../catalog';
import type { RepcardRecord } from '../entities';
import { formatTimestamp } from '../timeline';
import type { RenderContext } from './context';

export interface StatusLogRelations {
  customer: number;
  user: number;
  /** Index into CUSTOMER_STATUSES. */
  to: number;
  /** -1: `statusFrom: null`. */
  from: number;
}

/** An update (a correction of the log) moves `statusTo` on by one. */
export function statusLogRelations(ctx: RenderContext, index: number): StatusLogRelations {
  const { world } = ctx;
  const customer = ctx.parentOf('status_logs', index);
  const to = (world.statusLogToIndex(index) + ctx.revOf('status_logs', index)) % CUSTOMER_STATUSES.length;
  return {
    customer,
    user: world.statusLogUserIndex(index, customer),
    to,
    from: world.statusLogFromIndex(index),
  };
}

export function statusLogId(ctx: RenderContext, index: number): string {
  return ctx.world.objectIdOf(index, ctx.timesOf('status_logs', index).createdAtMs);
}

/** `GET /customers/status-logs` record: string `_id`, nullable `statusFrom`. */
export function renderStatusLog(ctx: RenderContext, index: number): RepcardRecord {
  const { world } = ctx;
  const rel = statusLogRelations(ctx, index);
  const times = ctx.timesOf('status_logs', index);
  const status = (i: number): RepcardRecord => ({
    ...(CUSTOMER_STATUSES[i] as (typeof CUSTOMER_STATUSES)[number]),
  });
  return {
    _id: world.objectIdOf(index, times.createdAtMs),
    customerId: world.idOf('customers', rel.customer),
    statusFrom: rel.from < 0 ? null : status(rel.from),
    statusTo: status(rel.to),
    userId: world.idOf('users', rel.user),
    companyId: COMPANY_ID,
    createdAt: formatTimestamp(times.createdAtMs),
    updatedAt: formatTimestamp(times.updatedAtMs),
  };
}
