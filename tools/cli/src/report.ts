import type { EntityStatus } from '@tributary/read-model';

export const projected = (r: EntityStatus): number =>
  r.recordsInserted + r.recordsUpdated + r.recordsUnchanged + r.recordsFailed;

function bar(fraction: number, width = 24): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** One line per entity: a bar on a terminal, plain text otherwise. */
export function progressLine(r: EntityStatus, tty: boolean): string {
  const fetched = r.recordsFetched ?? r.recordsSeen;
  const pages = r.totalPages ? `page ${r.pages ?? 0}/${r.totalPages}` : r.pages ? `page ${r.pages}` : 'waiting';
  const fetchFraction = r.totalPages ? (r.pages ?? 0) / r.totalPages : r.recordsFetched !== null ? 1 : 0;
  const projFraction = fetched > 0 ? projected(r) / fetched : r.recordsFetched === 0 ? 1 : 0;
  const done = r.status !== 'running';
  const fraction = done ? 1 : (fetchFraction + projFraction) / 2;
  const text = `${r.entityType.padEnd(24)} ${r.status.padEnd(10)} ${pages.padEnd(14)} fetched ${String(fetched).padStart(8)}  projected ${String(projected(r)).padStart(8)}${r.recordsFailed ? `  failed ${r.recordsFailed}` : ''}`;
  return tty ? `${bar(fraction)} ${text}` : text;
}

function duration(r: EntityStatus): string {
  if (!r.startedAt) return '-';
  const end = r.completedAt ? Date.parse(r.completedAt) : Date.now();
  return `${((end - Date.parse(r.startedAt)) / 1000).toFixed(1)}s`;
}

/** The summary table printed when the run is over. */
export function summaryTable(rows: EntityStatus[]): string {
  const header = ['entity', 'status', 'fetched', 'inserted', 'updated', 'unchanged', 'failed', 'duration'];
  const body = rows.map((r) => [
    r.entityType,
    r.status,
    String(r.recordsFetched ?? r.recordsSeen),
    String(r.recordsInserted),
    String(r.recordsUpdated),
    String(r.recordsUnchanged),
    String(r.recordsFailed),
    duration(r),
  ]);
  const total = ['total', '', ...[2, 3, 4, 5, 6].map((i) => String(body.reduce((n, row) => n + Number(row[i]), 0))), ''];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const errors = rows.filter((r) => r.errorMessage).map((r) => `  ${r.entityType}: ${r.errorMessage}`);
  return [fmt(header), rule, ...body.map(fmt), rule, fmt(total), ...(errors.length ? ['', 'errors:', ...errors] : [])].join('\n');
}
