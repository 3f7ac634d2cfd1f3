import type { BackfillRequest, ReconcilePlan, ReconcileReport, ReconcileRow } from '@tributary/sync';
import { fit } from '../progress';

/** `42 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

/** The cost of a plan, said before it runs (two lines): checks, then requests and expected duration at the budget. */
export function planLines(
  plan: ReconcilePlan,
  durationMs: number,
  budget: { limit: number; periodMs: number },
): string {
  const windows = new Set(plan.checks.filter((c) => c.window).map((c) => c.window!.label)).size;
  const requests = `${plan.estimated ? 'about ' : ''}${plan.requests} request${plan.requests === 1 ? '' : 's'}`;
  return (
    `${plan.source} by ${plan.by} since ${plan.since}: ${plan.checks.length} checks, ${windows} windows\n` +
    `cost: ${requests}, about ${formatDuration(durationMs)} at ${budget.limit} per ${formatDuration(budget.periodMs)}`
  );
}

function verdictText(row: ReconcileRow, notes: string[]): string {
  if (row.verdict === 'gap') return `gap (${row.missing} missing)`;
  if (row.verdict === 'unknown' && row.note) {
    const note = `${row.entity}: ${row.note}`;
    if (!notes.includes(note)) notes.push(note);
    return `unknown (${notes.indexOf(note) + 1})`;
  }
  return row.verdict;
}

const num = (n: number | null, width: number) => (n === null ? '-' : String(n)).padStart(width);

/** The report as a table, every line at most `columns` wide (80 by default). */
export function reportTable(report: ReconcileReport, columns = 80): string {
  const head = `${'entity'.padEnd(23)} ${'window'.padEnd(10)} ${'source'.padStart(8)} ${'read model'.padStart(10)}  verdict`;
  const lines = [head];
  const notes: string[] = [];
  for (const r of report.rows) {
    const line = `${r.entity.padEnd(23)} ${r.window.padEnd(10)} ${num(r.source, 8)} ${num(r.readModel, 10)}  ${verdictText(r, notes)}`;
    lines.push(fit(line, columns));
  }
  notes.forEach((note, i) => lines.push(fit(`(${i + 1}) ${note}`, columns)));
  const gaps = report.rows.filter((r) => r.verdict === 'gap').length;
  const unknown = report.rows.filter((r) => r.verdict === 'unknown').length;
  lines.push(
    '',
    fit(
      `${report.source}: ${report.verdict}` +
        `${gaps ? `, ${gaps} gap${gaps === 1 ? '' : 's'}` : ''}${unknown ? `, ${unknown} unknown` : ''}` +
        `; ${report.requests} requests, ${report.checkedAt.slice(0, 16).replace('T', ' ')} UTC`,
      columns,
    ),
  );
  return lines.join('\n');
}

/** One backfill request as the CLI says it. */
export function backfillLine(req: BackfillRequest): string {
  const window =
    req.from === null && req.to === null ? 'whole' : `${req.from ?? 'start'} .. ${req.to ?? 'today'}`;
  return `backfill ${req.entities.join(', ')}: ${window}`;
}
