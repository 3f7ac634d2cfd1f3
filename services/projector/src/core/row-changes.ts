import type { RecordObserved, Source } from '@tributary/contracts';
import { mapColumns, type Row } from './field-table';
import type { Json } from './json';
import { lineageOf, type Lineage } from './lineage';
import type { RecordFailure, RecordPosition } from './record-failure';
import type { TableSpec } from './table-spec';

/** One record to write: its row, its version and where it came from. */
export interface RowWrite {
  row: Row;
  rawData: unknown;
  /** Source updatedAt, or the observation time when the source sends none: the upsert's version. */
  versionAt: string;
  observedAt: string;
  syncId: string | null;
  /**
   * The newest observation time of the record among those this write stands for (it may supersede
   * a later-observed older version): what `last_seen_at` moves on to. Default: observedAt.
   */
  seenAt?: string;
  /** The event that wrote it (ADR 0018); none when not known (a test, a benchmark). */
  lineage?: Lineage | null;
}

export type Outcome = 'inserted' | 'updated' | 'unchanged';

/** A row to write, with how: replace (polls), merge `raw_data` (webhooks), or only insert. */
export interface PlannedWrite extends RowWrite {
  key: string;
  insertOnly: boolean;
  mergeRawData: boolean;
}

/** Writes applied by one statement: same columns and mode, each source id once. */
export interface WriteRun {
  writes: PlannedWrite[];
  insertOnly: boolean;
  mergeRawData: boolean;
}

/** What one batch of one entity topic does to its table. */
export interface RowChanges {
  source: Source;
  entity: string;
  spec: TableSpec;
  /** In order: a later run may hold a newer version of an id of an earlier one. */
  runs: WriteRun[];
  /** Observations made redundant by a newer one of the same id in the batch (tallied unchanged). */
  superseded: { syncId: string | null }[];
  failures: RecordFailure[];
}

/** A record through its table's field table: its row, or why it cannot be stored. */
export function mapRecord(
  spec: TableSpec,
  record: Json,
): { ok: true; row: Row } | { ok: false; why: string } {
  const { row, problems } = mapColumns(spec.fields, record, spec.columns);
  if (spec.onInvalid === 'reject' && problems.length) return { ok: false, why: problems.join('; ') };
  if (row[spec.key] === null || row[spec.key] === undefined) return { ok: false, why: `no ${spec.key}` };
  return { ok: true, row };
}

/** The write of one observation (versioned by the source's update time, else by when it was seen). */
export function observedWrite(
  event: RecordObserved,
  key: string,
  row: Row,
  rawData: unknown,
  mode: { insertOnly?: boolean; mergeRawData?: boolean } = {},
  at?: RecordPosition,
): PlannedWrite {
  return {
    key,
    row,
    rawData,
    versionAt: event.sourceUpdatedAt ?? event.observedAt,
    observedAt: event.observedAt,
    syncId: event.syncId,
    seenAt: event.observedAt,
    lineage: lineageOf(event, at),
    insertOnly: mode.insertOnly ?? false,
    mergeRawData: mode.mergeRawData ?? false,
  };
}

const ms = (iso: string): number => Date.parse(iso);

/** What a statement shares: the columns (in order) and the mode, one object per distinct one. */
interface Signature {
  keys: readonly string[];
  insertOnly: boolean;
  mergeRawData: boolean;
  /** The same as a flat string (a map key). */
  text: string;
}

/** A write with what ordering and grouping it need, each computed once (the version when needed). */
interface Keyed {
  write: PlannedWrite;
  order: number;
  version: number | undefined;
  sig: Signature;
}

const versionOf = (k: Keyed): number => (k.version ??= ms(k.write.versionAt));

/**
 * Several observations of one id (and one set of columns and mode) collapse to the newest, a later
 * one winning a tie; the others are superseded. The survivors are applied in version order (oldest
 * first), which leaves every id at its newest state under the monotonic upsert. When every survivor
 * is a distinct id of one signature (a page of a sync, a backlog) they make one statement whatever
 * their order, so they are neither sorted nor their versions parsed (ADR 0023, addendum 6).
 */
export function collapseWrites(writes: readonly PlannedWrite[]): Pick<RowChanges, 'runs' | 'superseded'> {
  const superseded: { syncId: string | null }[] = [];
  // By id; an id seen with another signature too (rare: a partial record) is grouped by both.
  const newest = new Map<string, Keyed>();
  const others = new Map<string, Keyed>();
  const signatures = new Signatures();
  for (let order = 0; order < writes.length; order++) {
    const write = writes[order]!;
    const sig = signatures.of(write);
    const first = newest.get(write.key);
    const byId = first === undefined || first.sig === sig;
    const groups = byId ? newest : others;
    const group = byId ? write.key : `${write.key}\u0000${sig.text}`;
    const keyed: Keyed = { write, order, version: undefined, sig };
    const previous = groups.get(group);
    if (previous && versionOf(previous) > versionOf(keyed)) {
      superseded.push({ syncId: write.syncId });
      previous.write.seenAt = laterOf(previous.write.seenAt, write.seenAt);
      continue;
    }
    if (previous) {
      superseded.push({ syncId: previous.write.syncId });
      write.seenAt = laterOf(write.seenAt, previous.write.seenAt);
    }
    groups.set(group, keyed);
  }
  const survivors = [...newest.values(), ...others.values()];
  if (others.size > 0 || signatures.count > 1)
    survivors.sort((a, b) => versionOf(a) - versionOf(b) || a.order - b.order);
  return { runs: toRuns(survivors, others.size === 0), superseded };
}

/** The later of two observation times (ISO; undefined = unknown). */
function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * The distinct signatures of a batch's writes. A write of the previous write's signature is
 * recognised by comparing its column names (interned strings) with that one's, without building
 * its flat string; another is looked up by that string.
 */
class Signatures {
  private readonly byText = new Map<string, Signature>();
  private last: Signature | undefined;

  get count(): number {
    return this.byText.size;
  }

  of(w: PlannedWrite): Signature {
    const keys = Object.keys(w.row);
    const last = this.last;
    if (
      last &&
      last.insertOnly === w.insertOnly &&
      last.mergeRawData === w.mergeRawData &&
      sameKeys(last.keys, keys)
    )
      return last;
    const text = [...keys, w.insertOnly ? '|i' : '|u', w.mergeRawData ? '|m' : '|r'].join(',');
    let sig = this.byText.get(text);
    if (!sig) {
      sig = { keys, insertOnly: w.insertOnly, mergeRawData: w.mergeRawData, text };
      this.byText.set(text, sig);
    }
    this.last = sig;
    return sig;
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Consecutive writes of one signature and distinct ids share a statement. `distinct`: every id is
 * already once among `writes` (no set of the run's ids needed).
 */
function toRuns(writes: readonly Keyed[], distinct: boolean): WriteRun[] {
  const runs: WriteRun[] = [];
  let current: { run: WriteRun; sig: Signature; keys: Set<string> | undefined } | undefined;
  for (const { write: w, sig } of writes) {
    if (!current || current.sig !== sig || current.keys?.has(w.key)) {
      current = {
        run: { writes: [], insertOnly: w.insertOnly, mergeRawData: w.mergeRawData },
        sig,
        keys: distinct ? undefined : new Set(),
      };
      runs.push(current.run);
    }
    current.run.writes.push(w);
    current.keys?.add(w.key);
  }
  return runs;
}
