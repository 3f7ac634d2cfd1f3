import type { Source } from '@tributary/contracts';
import { addDays, isoDay } from '@tributary/core';
import {
  CURAGENESIS_WINDOW_COLUMN,
  RECONCILE_TARGETS,
  repcardDateColumn,
  type DateField,
  type ReconcileTarget,
} from './targets';
import { windowsFrom, type TimeWindow, type WindowSize } from './windows';

/** Where a check's source count comes from. */
export type SourceCount =
  | { kind: 'request'; path: string; query: Record<string, string | number> }
  | { kind: 'walk'; measure: 'practices' | 'orders' | 'activated' }
  | { kind: 'none'; reason: string };

/** One row of the report before it runs: an entity in a window (`null`: the entity as a whole). */
export interface ReconcileCheck {
  entity: string;
  table: string;
  window: TimeWindow | null;
  /** The read model's rows counted: those whose `column` is in [from, to), or every live row. */
  readModel: { column: string; from: string; to: string } | null;
  source: SourceCount;
}

export interface ReconcilePlan {
  source: Source;
  by: WindowSize;
  since: string;
  checks: ReconcileCheck[];
  /** Source requests the checks cost (CuraGenesis: pages of the practices walk, estimated). */
  requests: number;
  estimated: boolean;
}

export interface RepcardPlanInput {
  by: WindowSize;
  since: string;
  now: Date;
  /** REPCARD_HISTORY_START: the totals of date-filtered entities are asked from this day on. */
  historyStart: string;
  dateField: DateField;
  entities?: readonly string[];
}

function selected(source: Source, entities: readonly string[] | undefined): readonly ReconcileTarget[] {
  const all = RECONCILE_TARGETS[source];
  return entities && entities.length > 0 ? all.filter((t) => entities.includes(t.entity)) : all;
}

/** One `per_page=1` request per check: its envelope's `totalCount` is the source's count. */
function repcardQuery(
  filter: 'none' | 'customers' | 'dates',
  field: DateField,
  range: { from: string; to: string } | null,
): Record<string, string | number> {
  const query: Record<string, string | number> = { per_page: 1, page: 1 };
  if (!range || filter === 'none') return query;
  if (filter === 'customers') {
    query[`last_${field}_from`] = range.from;
    query[`last_${field}_to`] = range.to;
  } else {
    query.from_date = range.from;
    query.to_date = range.to;
  }
  return query;
}

/**
 * RepCard: per entity one total row, and for entities whose date filter matches a read-model column
 * one row per window from `since` to today. Each row costs one request. Totals of entities whose
 * date filter is documented as required are asked over [historyStart, tomorrow), the same range the
 * full sync reads; the read model is counted over the same range.
 */
export function planRepcard(input: RepcardPlanInput): ReconcilePlan {
  const today = isoDay(input.now);
  const windows = windowsFrom(input.by, input.since, today);
  const column = repcardDateColumn(input.dateField);
  const checks: ReconcileCheck[] = [];
  for (const target of selected('repcard', input.entities)) {
    if (target.method.kind !== 'totalCount') continue;
    const { path, filter, windows: cut } = target.method;
    const totalRange = filter === 'dates' ? { from: input.historyStart, to: addDays(today, 1) } : null;
    checks.push({
      entity: target.entity,
      table: target.table,
      window: null,
      readModel: totalRange && { column, ...totalRange },
      source: { kind: 'request', path, query: repcardQuery(filter, input.dateField, totalRange) },
    });
    if (!cut) continue;
    for (const w of windows) {
      checks.push({
        entity: target.entity,
        table: target.table,
        window: w,
        readModel: { column, from: w.from, to: w.to },
        source: { kind: 'request', path, query: repcardQuery(filter, input.dateField, w) },
      });
    }
  }
  return {
    source: 'repcard',
    by: input.by,
    since: input.since,
    checks,
    requests: checks.length,
    estimated: false,
  };
}

export interface CuragenesisPlanInput {
  by: WindowSize;
  since: string;
  now: Date;
  pageSize: number;
  /** Practices the read model holds: the walk's page count is estimated from it. */
  knownPractices: number;
  entities?: readonly string[];
}

/**
 * CuraGenesis answers no totals: the practices pages are read once (their number estimated from the
 * read model), which gives the practice count, the sum of `totalOrders` (the orders total) and the
 * practices activated in each window. Orders per window have no cheap count (the financials endpoint
 * needs a selector per practice): those rows are `unknown`, shown for the read model's side.
 */
export function planCuragenesis(input: CuragenesisPlanInput): ReconcilePlan {
  const windows = windowsFrom(input.by, input.since, isoDay(input.now));
  const checks: ReconcileCheck[] = [];
  for (const target of selected('curagenesis', input.entities)) {
    if (target.method.kind !== 'practices-walk') continue;
    const measure = target.method.measure;
    checks.push({
      entity: target.entity,
      table: target.table,
      window: null,
      readModel: null,
      source: { kind: 'walk', measure },
    });
    const column = CURAGENESIS_WINDOW_COLUMN[measure];
    for (const w of windows) {
      checks.push({
        entity: target.entity,
        table: target.table,
        window: w,
        readModel: { column, from: w.from, to: w.to },
        source:
          measure === 'practices'
            ? { kind: 'walk', measure: 'activated' }
            : { kind: 'none', reason: 'no per-window count at the source' },
      });
    }
  }
  const walks = checks.some((c) => c.source.kind === 'walk');
  const requests = walks ? Math.max(1, Math.ceil(input.knownPractices / input.pageSize)) : 0;
  return { source: 'curagenesis', by: input.by, since: input.since, checks, requests, estimated: walks };
}

/**
 * How long `requests` take at a budget of `limit` per `periodMs`: the requests beyond the first
 * `available` wait for later periods; each costs about `latencyMs`, `concurrency` at a time.
 */
export function expectedDurationMs(
  requests: number,
  budget: { limit: number; periodMs: number; available?: number },
  latencyMs = 150,
  concurrency = 4,
): number {
  if (requests <= 0) return 0;
  const available = budget.available ?? budget.limit;
  const waits = requests <= available ? 0 : Math.ceil((requests - available) / budget.limit);
  return waits * budget.periodMs + Math.ceil(requests / concurrency) * latencyMs;
}
