import type { Source } from '@tributary/contracts';
import type { JsonGetter } from '../fetchers';
import { expectedDurationMs } from '../reconcile/plan';
import { statedTotal } from '../reconcile/source-counts';

/** What one entity of a run will cost: its page requests (null: the source cannot say ahead). */
export interface EntityEstimate {
  entity: string;
  requests: number | null;
  records: number | null;
  /** How the figure was found. */
  basis: string;
}

/** `sync --dry-run` and the dashboard's Sync Now: the requests a run will make and how long they take. */
export interface RunEstimate {
  source: Source;
  entities: EntityEstimate[];
  requests: number;
  /** Requests spent finding this out (RepCard: one `per_page=1` request per entity). */
  probes: number;
  budget: { limit: number; periodMs: number; available: number };
  expectedSeconds: number;
}

export interface BudgetNow {
  limit: number;
  periodMs: number;
  /** Requests the budget allows right now (the server's `X-RateLimit-Remaining` lowers it). */
  available: number;
  /** Page requests in flight at once (the ingest's concurrency). */
  concurrency?: number;
}

/** One RepCard entity as the ingest will read it (its request plan: path, query with `per_page`). */
export interface RepcardEntityPlan {
  entity: string;
  path: string;
  query: Record<string, string | number>;
  describe: string;
}

function finish(source: Source, entities: EntityEstimate[], probes: number, budget: BudgetNow): RunEstimate {
  const requests = entities.reduce((n, e) => n + (e.requests ?? 0), 0);
  const ms = expectedDurationMs(requests, budget, 150, budget.concurrency ?? 4);
  return {
    source,
    entities,
    requests,
    probes,
    budget: { limit: budget.limit, periodMs: budget.periodMs, available: budget.available },
    expectedSeconds: Math.ceil(ms / 1000),
  };
}

/**
 * RepCard: each entity's page count from its `totalCount`, asked with the run's own filters and
 * `per_page=1` (one request per entity, spent at the `reconcile` class when the client is so set).
 * The server's `X-RateLimit-Remaining` on those answers is the budget left now.
 */
export async function estimateRepcardRun(
  client: JsonGetter,
  plans: readonly RepcardEntityPlan[],
  budget: BudgetNow,
  signal?: AbortSignal,
): Promise<RunEstimate> {
  let remainingSeen: number | null = null;
  const entities: EntityEstimate[] = [];
  for (const plan of plans) {
    const perPage = Number(plan.query.per_page ?? 100);
    const res = await client.getJson(plan.path, { ...plan.query, per_page: 1, page: 1 }, signal);
    const remaining = Number(res.headers.get('x-ratelimit-remaining') ?? NaN);
    if (Number.isFinite(remaining)) remainingSeen = Math.min(remainingSeen ?? remaining, remaining);
    const total = statedTotal(res.body);
    entities.push({
      entity: plan.entity,
      records: total,
      requests: total === null ? null : Math.max(1, Math.ceil(total / perPage)),
      basis: `totalCount, ${plan.describe}`,
    });
  }
  // The server counted our probes in its answer; without the header, count them ourselves.
  const available = Math.min(budget.available, remainingSeen ?? Math.max(0, budget.available - plans.length));
  return finish('repcard', entities, plans.length, { ...budget, available });
}

/**
 * CuraGenesis answers no totals: the practices pages follow from the practices the read model holds
 * (an incremental run reads at most that), and the orders walk asks one financials page per practice
 * on top of reading the practices again. Nothing is asked of the source.
 */
export function estimateCuragenesisRun(
  entities: readonly string[],
  knownPractices: number,
  pageSize: number,
  budget: BudgetNow,
): RunEstimate {
  const practicePages = Math.max(1, Math.ceil(knownPractices / pageSize));
  const out: EntityEstimate[] = entities.map((entity) =>
    entity === 'practices'
      ? { entity, records: knownPractices, requests: practicePages, basis: 'practices in the read model' }
      : {
          entity,
          records: null,
          requests: practicePages + knownPractices,
          basis: 'one financials page per practice in the read model, at least',
        },
  );
  return finish('curagenesis', out, 0, budget);
}

/** The estimate as the CLI prints it. */
export function formatRunEstimate(e: RunEstimate): string[] {
  // 80 columns: the basis goes on a line of its own when it would not fit.
  const rows = e.entities.flatMap((x) => {
    const head = `  ${x.entity.padEnd(24)} ${String(x.requests ?? '?').padStart(7)} requests  ${
      x.records === null ? '' : `${x.records} records; `
    }`;
    return head.length + x.basis.length <= 80 ? [head + x.basis] : [head.trimEnd(), `      ${x.basis}`];
  });
  const per = `${e.budget.limit} per ${Math.round(e.budget.periodMs / 1000)} s, ${e.budget.available} available now`;
  return [
    `${e.source} dry run: nothing requested`,
    ...rows,
    `  total ${e.requests} requests,`,
    `  about ${formatSeconds(e.expectedSeconds)} at the current budget (${per})`,
    ...(e.probes > 0 ? [`  (finding this out cost ${e.probes} requests)`] : []),
  ];
}

function formatSeconds(s: number): string {
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
