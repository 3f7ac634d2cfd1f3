import type { EntityStatus } from '@tributary/read-model';

export const projected = (r: EntityStatus): number =>
  r.recordsInserted + r.recordsUpdated + r.recordsUnchanged + r.recordsFailed;

function duration(r: EntityStatus): string {
  if (!r.startedAt) return '-';
  const end = r.completedAt ? Date.parse(r.completedAt) : Date.now();
  return `${((end - Date.parse(r.startedAt)) / 1000).toFixed(1)}s`;
}

const FULL_HEADER = ['entity', 'status', 'fetched', 'inserted', 'updated', 'unchanged', 'failed', 'duration'];
const SHORT_HEADER = ['entity', 'status', 'fetched', 'new', 'updated', 'same', 'failed', 'time'];

/** The terminal's width when stdout is one, else no limit (a pipe or a file gets the full names). */
function outputColumns(): number {
  return process.stdout.isTTY ? (process.stdout.columns ?? 80) : Number.POSITIVE_INFINITY;
}

/**
 * The summary table printed when the run is over, within `columns` (default: the terminal's
 * width, 80 when unknown): the full column names with two-space gaps when they fit, else one-space
 * gaps, else short names (`new`, `same`, `time`), which fit 80 columns for the longest entity name
 * and counts up to 7 digits.
 */
export function summaryTable(rows: EntityStatus[], columns: number = outputColumns()): string {
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
  const layouts = [FULL_HEADER, SHORT_HEADER].flatMap((header) =>
    ['  ', ' '].map((gap) => {
      const widths = header.map((_, i) => Math.max(...[header, ...body, total].map((row) => row[i]!.length)));
      return {
        header,
        gap,
        widths,
        width: widths.reduce((n, w) => n + w, 0) + gap.length * (widths.length - 1),
      };
    }),
  );
  const { header, gap, widths } = layouts.find((l) => l.width <= columns) ?? layouts[layouts.length - 1]!;
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
