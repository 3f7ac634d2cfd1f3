import type { RebuildProgress, RebuildResult } from '../../../../services/projector/src/rebuild/rebuild';
import { fit } from '../progress';

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Records per second so far. */
export function rateOf(p: RebuildProgress): number {
  return p.elapsedMs > 0 ? (p.records * 1000) / p.elapsedMs : 0;
}

/** Share of the end offsets captured at start read so far (1 once swapped). */
export function fractionOf(p: RebuildProgress): number {
  if (p.phase === 'done') return 1;
  return p.total > 0 ? Math.min(1, p.records / p.total) : 1;
}

/**
 * The one live line on a terminal `columns` wide (never wider than columns - 1, so it redraws
 * cleanly at 80): `repcard replay  42% [#####-----] 84,000/200,000  12,345 rec/s`.
 */
export function progressLineOf(source: string, p: RebuildProgress, columns: number): string {
  const width = Math.max(20, columns - 1);
  const pct = `${String(Math.floor(fractionOf(p) * 100)).padStart(3)}%`;
  const failed = p.failed ? ` ${count(p.failed)} failed` : '';
  const tail = ` ${count(p.records)}/${count(p.total)}  ${count(rateOf(p))} rec/s${failed}`;
  const head = `${source} ${p.phase.padEnd(6)} ${pct}`;
  const cells = Math.min(30, width - head.length - tail.length - 1);
  const bar =
    cells >= 6
      ? ` [${'#'.repeat(Math.round(fractionOf(p) * (cells - 2)))}${'-'.repeat(cells - 2 - Math.round(fractionOf(p) * (cells - 2)))}]`
      : '';
  return fit(`${head}${bar}${tail}`, width);
}

/** A plain line off a terminal (printed every few seconds and at each phase). */
export function plainLineOf(source: string, p: RebuildProgress): string {
  const failed = p.failed ? `, ${count(p.failed)} failed` : '';
  return `${source}: ${p.phase}, ${Math.floor(fractionOf(p) * 100)}% (${count(p.records)} of ${count(p.total)} records${failed}), ${count(rateOf(p))} records/s`;
}

/** The final report: totals, then each table's rows, within 80 columns. */
export function resultLines(r: RebuildResult): string[] {
  const width = Math.max(5, ...r.tables.map((t) => t.table.length));
  return [
    `rebuilt ${r.source}: ${count(r.records)} records replayed in ${r.seconds.toFixed(1)} s (${count(r.recordsPerSecond)} records/s)`,
    `${count(r.caughtUp)} caught up at the swap, ${count(r.failed)} failed (dead-lettered live)`,
    '',
    `${'table'.padEnd(width)}  ${'rows'.padStart(10)}`,
    ...r.tables.map((t) => `${t.table.padEnd(width)}  ${count(t.rows).padStart(10)}`),
  ].map((l) => fit(l, 79));
}
