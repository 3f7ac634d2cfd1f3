import type { JsonGetter } from '../fetchers';
import type { ReconcilePlan } from './plan';
import { countAtSource } from './source-counts';
import { compareCounts, overallVerdict, type Verdict } from './verdict';

/** The read model's side of a report (libs/read-model's pg counter, or an in-memory one in tests). */
export interface ReadModelCounter {
  /** Rows of `table` not marked deleted, those whose `column` is in [from, to) when a range is given. */
  count(table: string, range: { column: string; from: string; to: string } | null): Promise<number>;
}

export interface ReconcileRow {
  entity: string;
  /** `all`, or the window's label (`2026-03`, `2026-03-14`). */
  window: string;
  from: string | null;
  /** Exclusive. */
  to: string | null;
  source: number | null;
  readModel: number;
  verdict: Verdict;
  missing: number;
  note: string | null;
}

export interface ReconcileReport {
  source: ReconcilePlan['source'];
  by: ReconcilePlan['by'];
  since: string;
  checkedAt: string;
  requests: number;
  verdict: 'complete' | 'gap';
  rows: ReconcileRow[];
}

/**
 * Runs `plan`: the source's counts through `client` (its rate budget), the read model's through
 * `readModel`, one verdict per row. The read model is counted after the source, so rows projected
 * meanwhile show as more, never as a gap.
 */
export async function runReconcile(
  plan: ReconcilePlan,
  deps: {
    client: JsonGetter;
    readModel: ReadModelCounter;
    now: () => Date;
    concurrency?: number;
    pageSize?: number;
    signal?: AbortSignal;
    onRequest?: () => void;
  },
): Promise<ReconcileReport> {
  let requests = 0;
  const sourceCounts = await countAtSource(plan, deps.client, {
    concurrency: deps.concurrency,
    pageSize: deps.pageSize,
    signal: deps.signal,
    onRequest: () => {
      requests++;
      deps.onRequest?.();
    },
  });
  const rows: ReconcileRow[] = [];
  for (const [i, check] of plan.checks.entries()) {
    const readModel = await deps.readModel.count(check.table, check.readModel);
    const source = sourceCounts[i] ?? null;
    const cmp = compareCounts(source, readModel);
    rows.push({
      entity: check.entity,
      window: check.window?.label ?? 'all',
      from: check.window?.from ?? check.readModel?.from ?? null,
      to: check.window?.to ?? check.readModel?.to ?? null,
      source,
      readModel,
      verdict: cmp.verdict,
      missing: cmp.missing,
      note: check.source.kind === 'none' ? check.source.reason : cmp.note,
    });
  }
  return {
    source: plan.source,
    by: plan.by,
    since: plan.since,
    checkedAt: deps.now().toISOString(),
    requests,
    verdict: overallVerdict(rows.map((r) => r.verdict)),
    rows,
  };
}
