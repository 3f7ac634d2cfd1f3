/** One entity of a run as the sync log shows it. */
export interface EntityRow {
  entity_type: string;
  status: string;
  records_fetched: number | null;
  records_seen: number;
  records_inserted: number;
  records_updated: number;
  records_unchanged: number;
  records_failed: number;
  pages: number | null;
  total_pages: number | null;
  started_at: Date | null;
  completed_at: Date | null;
  error_message: string | null;
}

export const projected = (r: EntityRow): number =>
  r.records_inserted + r.records_updated + r.records_unchanged + r.records_failed;

function bar(fraction: number, width = 24): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

/** One line per entity: a bar on a terminal, plain text otherwise. */
export function progressLine(r: EntityRow, tty: boolean): string {
  const fetched = r.records_fetched ?? r.records_seen;
  const pages = r.total_pages ? `page ${r.pages ?? 0}/${r.total_pages}` : r.pages ? `page ${r.pages}` : 'waiting';
  const fetchFraction = r.total_pages ? (r.pages ?? 0) / r.total_pages : r.records_fetched !== null ? 1 : 0;
  const projFraction = fetched > 0 ? projected(r) / fetched : r.records_fetched === 0 ? 1 : 0;
  const done = r.status !== 'running';
  const fraction = done ? 1 : (fetchFraction + projFraction) / 2;
  const text = `${r.entity_type.padEnd(24)} ${r.status.padEnd(10)} ${pages.padEnd(14)} fetched ${String(fetched).padStart(8)}  projected ${String(projected(r)).padStart(8)}${r.records_failed ? `  failed ${r.records_failed}` : ''}`;
  return tty ? `${bar(fraction)} ${text}` : text;
}

function duration(r: EntityRow): string {
  if (!r.started_at) return '-';
  const end = r.completed_at ?? new Date();
  return `${((end.getTime() - r.started_at.getTime()) / 1000).toFixed(1)}s`;
}

/** The summary table printed when the run is over. */
export function summaryTable(rows: EntityRow[]): string {
  const header = ['entity', 'status', 'fetched', 'inserted', 'updated', 'unchanged', 'failed', 'duration'];
  const body = rows.map((r) => [
    r.entity_type,
    r.status,
    String(r.records_fetched ?? r.records_seen),
    String(r.records_inserted),
    String(r.records_updated),
    String(r.records_unchanged),
    String(r.records_failed),
    duration(r),
  ]);
  const total = ['total', '', ...[2, 3, 4, 5, 6].map((i) => String(body.reduce((n, row) => n + Number(row[i]), 0))), ''];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const errors = rows.filter((r) => r.error_message).map((r) => `  ${r.entity_type}: ${r.error_message}`);
  return [fmt(header), rule, ...body.map(fmt), rule, fmt(total), ...(errors.length ? ['', 'errors:', ...errors] : [])].join('\n');
}
