import type { EntityStatus } from '@tributary/read-model';
import { projected } from './report';

/** The widest entity name (`appointment_attachments`); longer names are cut. */
const ENTITY = 23;
const STATUS = 9;
const PAGES = 11;
const NUMBER = 9;
/** Columns without the bar: entity, status, pages, fetched, projected and the spaces between. */
const FIXED = ENTITY + 1 + STATUS + 1 + PAGES + 1 + NUMBER + 1 + NUMBER + 2;
/** The bar is drawn only when it gets at least this many cells. */
const MIN_BAR = 6;

const fetchedOf = (r: EntityStatus): number => r.recordsFetched ?? r.recordsSeen;

function pagesOf(r: EntityStatus): string {
  if (r.totalPages) return `${r.pages ?? 0}/${r.totalPages}`;
  return r.pages ? String(r.pages) : '-';
}

/** How far an entity is: half fetching (pages), half projecting (rows applied of those fetched). */
export function progressFraction(r: EntityStatus): number {
  if (r.status !== 'running') return 1;
  const fetched = fetchedOf(r);
  const fetching = r.totalPages ? (r.pages ?? 0) / r.totalPages : r.recordsFetched !== null ? 1 : 0;
  const projecting = fetched > 0 ? projected(r) / fetched : r.recordsFetched === 0 ? 1 : 0;
  return Math.max(0, Math.min(1, (fetching + projecting) / 2));
}

function bar(fraction: number, cells: number): string {
  const inner = cells - 2;
  const full = Math.round(fraction * inner);
  return `[${'#'.repeat(full)}${'-'.repeat(inner - full)}]`;
}

/** `text` cut to `width` columns (the live block must never wrap: a wrapped line breaks the redraw). */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, Math.max(0, width)) : `${text.slice(0, width - 1)}~`;
}

/**
 * The live block on a terminal `columns` wide: a header, then one row per entity (status, pages,
 * fetched, projected, then failures if any and a bar filling what is left). Every line is shorter
 * than `columns` (a line as wide as the terminal wraps on some), so 80 columns redraw cleanly.
 */
export function progressBlock(rows: readonly EntityStatus[], columns: number): string[] {
  const width = Math.max(20, columns - 1);
  const cols = (entity: string, status: string, pages: string, fetched: string, proj: string): string =>
    `${fit(entity, ENTITY).padEnd(ENTITY)} ${status.padEnd(STATUS)} ${pages.padStart(PAGES)} ${fetched.padStart(NUMBER)} ${proj.padStart(NUMBER)}`;
  const header = cols('entity', 'status', 'pages', 'fetched', 'projected');
  const lines = rows.map((r) => {
    const failed = r.recordsFailed ? `  ${r.recordsFailed} failed` : '';
    const barCells = Math.min(30, width - FIXED - failed.length);
    const text = cols(
      r.entityType,
      fit(r.status, STATUS),
      fit(pagesOf(r), PAGES),
      String(fetchedOf(r)),
      String(projected(r)),
    );
    return `${text}${failed}${barCells >= MIN_BAR ? `  ${bar(progressFraction(r), barCells)}` : ''}`;
  });
  return [header, ...lines].map((line) => fit(line, width));
}

/** One plain line per change when not on a terminal: `users: running, page 3/10, fetched 300, projected 250`. */
export function progressLine(r: EntityStatus): string {
  const pages = r.totalPages
    ? `page ${r.pages ?? 0}/${r.totalPages}`
    : r.pages
      ? `page ${r.pages}`
      : 'waiting';
  const failed = r.recordsFailed ? `, failed ${r.recordsFailed}` : '';
  return `${r.entityType}: ${r.status}, ${pages}, fetched ${fetchedOf(r)}, projected ${projected(r)}${failed}`;
}

/**
 * Redraws a block of lines in place: the cursor goes up by the number of lines drawn last time, each
 * line is cleared and written, and lines left over from a longer block are cleared.
 */
export class LiveBlock {
  private drawn = 0;

  constructor(private readonly out: { write(chunk: string): unknown }) {}

  draw(lines: readonly string[]): void {
    let chunk = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    chunk += lines.map((line) => `\r\x1b[2K${line}\n`).join('');
    if (lines.length < this.drawn) chunk += '\x1b[J';
    this.drawn = lines.length;
    this.out.write(chunk);
  }
}
