import type { EntityStatus } from '@tributary/read-model';

export const projected = (r: EntityStatus): number =>
  r.recordsInserted + r.recordsUpdated + r.recordsUnchanged + r.recordsFailed;

function duration(r: EntityStatus): string {
  if (!r.startedAt) return '-';
  const end = r.completedAt ? Date.parse(r.completedAt) : Date.now();
  return `${((end - Date.parse(r.startedAt)) / 1000).toFixed(1)}s`;
}

/**
 * The summary table printed when the run is over; within 80 columns for the longest entity name and
 * counts up to 7 digits (the gap between columns narrows to one space when two would not fit).
 */
export function summaryTable(rows: EntityStatus[]): string {
  const header = ['entity', 'status', 'fetched', 'new', 'updated', 'same', 'failed', 'time'];
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
  const total = [
    'total',
    '',
    ...[2, 3, 4, 5, 6].map((i) => String(body.reduce((n, row) => n + Number(row[i]), 0))),
    '',
  ];
  const all = [header, ...body, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const gap = widths.reduce((n, w) => n + w, 0) + 2 * (widths.length - 1) < 80 ? '  ' : ' ';
  const fmt = (row: string[]) =>
    row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(gap);
  const rule = widths.map((w) => '-'.repeat(w)).join(gap);
  const errors = rows.filter((r) => r.errorMessage).map((r) => `  ${r.entityType}: ${r.errorMessage}`);
  return [
    fmt(header),
    rule,
    ...body.map(fmt),
    rule,
    fmt(total),
    ...(errors.length ? ['', 'errors:', ...errors] : []),
  ].join('\n');
}
