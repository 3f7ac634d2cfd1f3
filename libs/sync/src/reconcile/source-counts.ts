import type { JsonGetter } from '../fetchers';
import type { ReconcilePlan } from './plan';
import { mapLimited } from '../map-limited';

/** Path of CuraGenesis's practices list (the ingest's PRACTICES_PATH, ingest-curagenesis requests.ts). */
export const PRACTICES_PATH = '/api/partner/v1/practices';

/**
 * The record count a RepCard list answer states: `result.totalCount` (or `result.total`, which some
 * endpoints send), or a bare paginator's `total`; null when the answer states none.
 */
export function statedTotal(body: unknown): number | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const result = (b.result ?? null) as Record<string, unknown> | null;
  const value = result && !Array.isArray(result) ? (result.totalCount ?? result.total) : b.total;
  const n = Number(value);
  return value !== undefined && value !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

/** What one pass over the CuraGenesis practices pages counts. */
export interface PracticesTally {
  practices: number;
  /** Sum of every practice's `totalOrders`. */
  orders: number;
  /** Practices per `activatedAt` day (`YYYY-MM-DD`, UTC). */
  activatedOn: Map<string, number>;
  pages: number;
}

function activatedDay(p: Record<string, unknown>): string | null {
  const iso = typeof p.activatedAtIso === 'string' ? Date.parse(p.activatedAtIso) : NaN;
  const ms = Number.isFinite(iso) ? iso : typeof p.activatedAt === 'number' ? p.activatedAt : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null;
}

/** Reads every practices page once (`page_size`, `cursor`) and tallies it. */
export async function tallyPractices(
  client: JsonGetter,
  pageSize: number,
  signal?: AbortSignal,
): Promise<PracticesTally> {
  const tally: PracticesTally = { practices: 0, orders: 0, activatedOn: new Map(), pages: 0 };
  let cursor: string | undefined;
  do {
    const res = await client.getJson(PRACTICES_PATH, { page_size: pageSize, cursor }, signal);
    const body = (res.body ?? {}) as { items?: unknown; nextCursor?: unknown };
    const items = Array.isArray(body.items) ? (body.items as Record<string, unknown>[]) : [];
    tally.pages++;
    for (const p of items) {
      tally.practices++;
      const orders = Number(p.totalOrders);
      if (Number.isFinite(orders)) tally.orders += orders;
      const day = activatedDay(p);
      if (day) tally.activatedOn.set(day, (tally.activatedOn.get(day) ?? 0) + 1);
    }
    cursor = typeof body.nextCursor === 'string' && body.nextCursor !== '' ? body.nextCursor : undefined;
  } while (cursor);
  return tally;
}

function activatedIn(tally: PracticesTally, from: string, to: string): number {
  let n = 0;
  for (const [day, count] of tally.activatedOn) if (day >= from && day < to) n += count;
  return n;
}

/**
 * The source's count of every check of `plan`, in order (null: the source gives none), through
 * `client` (a SourceClient: its rate budget, retries and breaker). `onRequest` is told of each
 * request done (progress).
 */
export async function countAtSource(
  plan: ReconcilePlan,
  client: JsonGetter,
  options: { concurrency?: number; pageSize?: number; signal?: AbortSignal; onRequest?: () => void } = {},
): Promise<(number | null)[]> {
  const walks = plan.checks.some((c) => c.source.kind === 'walk');
  const tally = walks ? await tallyPractices(client, options.pageSize ?? 100, options.signal) : null;
  if (tally) for (let i = 0; i < tally.pages; i++) options.onRequest?.();
  return mapLimited(plan.checks, options.concurrency ?? 4, async (check) => {
    const s = check.source;
    if (s.kind === 'none') return null;
    if (s.kind === 'walk') {
      if (!tally) return null;
      if (s.measure === 'practices') return tally.practices;
      if (s.measure === 'orders') return tally.orders;
      return check.window ? activatedIn(tally, check.window.from, check.window.to) : null;
    }
    const res = await client.getJson(s.path, s.query, options.signal);
    options.onRequest?.();
    return statedTotal(res.body);
  });
}
