import { addDays } from '@tributary/core';
import { RECONCILE_TARGETS } from './targets';
import type { ReconcileReport, ReconcileRow } from './report';

/** One sync to request: these entities over [from, to] (inclusive days, as the sync options take them; null: open). */
export interface BackfillRequest {
  entities: string[];
  from: string | null;
  to: string | null;
}

/**
 * The syncs that close the gaps of `report`. An entity whose sync takes a date window (RepCard's
 * dated entities) is backfilled over just its gap windows, the entities of one window in one
 * request; when its total misses more than its windows explain, the records are older than the
 * report's first window, so one more request covers everything before it. Any other entity with a
 * gap (no date window at the ingest) gets a full sync, all such entities in one request.
 */
export function backfillRequests(report: ReconcileReport): BackfillRequest[] {
  const targets = RECONCILE_TARGETS[report.source];
  const order = (list: ReadonlySet<string>) => targets.map((t) => t.entity).filter((e) => list.has(e));
  const windowed = (entity: string) =>
    targets.some((t) => t.entity === entity && t.method.kind === 'totalCount' && t.method.windows);
  const requests = new Map<string, { from: string | null; to: string | null; entities: Set<string> }>();
  const add = (entity: string, from: string | null, to: string | null) => {
    const key = `${from}/${to}`;
    const req = requests.get(key) ?? { from, to, entities: new Set<string>() };
    req.entities.add(entity);
    requests.set(key, req);
  };
  const gaps = report.rows.filter((r) => r.verdict === 'gap');
  const whole = new Set<string>();
  for (const entity of new Set(gaps.map((r) => r.entity))) {
    const rows = report.rows.filter((r) => r.entity === entity);
    if (!windowed(entity)) {
      whole.add(entity);
      continue;
    }
    const windowRows = rows.filter((r) => r.window !== 'all');
    for (const r of windowRows.filter((w) => w.verdict === 'gap')) add(entity, r.from, addDays(r.to!, -1));
    const total = rows.find((r) => r.window === 'all');
    if (total?.verdict === 'gap' && total.missing > sumMissing(windowRows)) {
      const first = windowRows[0]?.from;
      if (first) add(entity, null, addDays(first, -1));
      else whole.add(entity);
    }
  }
  const out = [...requests.values()]
    .sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''))
    .map((r) => ({ entities: order(r.entities), from: r.from, to: r.to }));
  if (whole.size > 0) out.push({ entities: order(whole), from: null, to: null });
  return out;
}

function sumMissing(rows: readonly ReconcileRow[]): number {
  return rows.reduce((n, r) => n + (r.verdict === 'gap' ? r.missing : 0), 0);
}
