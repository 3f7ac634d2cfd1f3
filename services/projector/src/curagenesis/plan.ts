import type { CuragenesisEntity } from '@tributary/contracts';
import type { Outcome, RowWrite } from '../data-access/upsert';
import type { PlannedMessage, RecordFailure } from '../domain/plan-batch';
import type { Tally } from '../domain/tally';
import { normaliseRecord, type ItemRow } from './records';

/** A row to write, with how: polled rows replace, webhook rows merge, a late `created` only inserts. */
export interface CuragenesisWrite extends RowWrite {
  key: string;
  insertOnly: boolean;
  mergeRawData: boolean;
}

/** Writes applied by one statement: same columns and mode, each source id once. */
export interface WriteRun {
  writes: CuragenesisWrite[];
  insertOnly: boolean;
  mergeRawData: boolean;
}

export interface ItemSet {
  orderId: string;
  versionAt: string;
  items: ItemRow[];
}

export interface CuragenesisPlan {
  runs: WriteRun[];
  /** Observations made redundant by a newer one of the same id in the batch (tallied unchanged). */
  superseded: { syncId: string | null }[];
  failures: RecordFailure[];
  /** The newest lines per order that carries lines. */
  itemSets: ItemSet[];
}

/** `practice.created` describes the first version of a practice: it never overwrites one we have. */
const INSERT_ONLY_EVENTS = new Set(['practice.created']);

const ms = (iso: string): number => Date.parse(iso);

/**
 * Plans one batch of a CuraGenesis entity topic. Versions are `sourceUpdatedAt ?? observedAt`, so poll
 * and webhook observations order against each other. Webhook payloads are usually partial, so
 * observations are grouped by the columns they carry; within a group the newest per id wins, and the
 * groups are applied in version order (oldest first), which leaves every id at its newest state under
 * the monotonic upsert. `knownEvents` gives the event of deliveries already projected (deliveryId →
 * event), for webhook payloads that do not name it.
 */
export function planCuragenesis(
  entity: CuragenesisEntity,
  messages: readonly PlannedMessage[],
  knownEvents: ReadonlyMap<string, string> = new Map(),
): CuragenesisPlan {
  const failures: RecordFailure[] = [];
  const superseded: { syncId: string | null }[] = [];
  const newest = new Map<string, { write: CuragenesisWrite; order: number }>();
  const items = new Map<string, ItemSet>();
  messages.forEach(({ offset, event }, order) => {
    const n = normaliseRecord(entity, event);
    if (!n.ok) {
      failures.push({ offset, syncId: event.syncId, error: n.error });
      return;
    }
    const webhook = event.origin === 'webhook';
    const eventName =
      n.value.event ?? (event.deliveryId ? (knownEvents.get(event.deliveryId) ?? null) : null);
    const write: CuragenesisWrite = {
      key: n.value.key,
      row: n.value.row,
      rawData: n.value.record,
      versionAt: event.sourceUpdatedAt ?? event.observedAt,
      observedAt: event.observedAt,
      syncId: event.syncId,
      insertOnly: webhook && eventName !== null && INSERT_ONLY_EVENTS.has(eventName),
      mergeRawData: webhook,
    };
    if (n.value.items) {
      const current = items.get(write.key);
      if (!current || ms(current.versionAt) <= ms(write.versionAt)) {
        items.set(write.key, { orderId: write.key, versionAt: write.versionAt, items: n.value.items });
      }
    }
    const group = `${write.key}\u0000${signature(write)}`;
    const previous = newest.get(group);
    if (previous && ms(previous.write.versionAt) > ms(write.versionAt)) {
      superseded.push({ syncId: write.syncId });
      return;
    }
    if (previous) superseded.push({ syncId: previous.write.syncId });
    newest.set(group, { write, order });
  });
  const ordered = [...newest.values()]
    .sort((a, b) => ms(a.write.versionAt) - ms(b.write.versionAt) || a.order - b.order)
    .map((e) => e.write);
  return { runs: toRuns(ordered), superseded, failures, itemSets: [...items.values()] };
}

function signature(w: CuragenesisWrite): string {
  return `${Object.keys(w.row).join(',')}|${w.insertOnly ? 'i' : 'u'}|${w.mergeRawData ? 'm' : 'r'}`;
}

/** Consecutive writes of one signature and distinct ids share a statement. */
function toRuns(writes: readonly CuragenesisWrite[]): WriteRun[] {
  const runs: WriteRun[] = [];
  let current: { run: WriteRun; sig: string; keys: Set<string> } | undefined;
  for (const w of writes) {
    const sig = signature(w);
    if (!current || current.sig !== sig || current.keys.has(w.key)) {
      current = {
        run: { writes: [], insertOnly: w.insertOnly, mergeRawData: w.mergeRawData },
        sig,
        keys: new Set(),
      };
      runs.push(current.run);
    }
    current.run.writes.push(w);
    current.keys.add(w.key);
  }
  return runs;
}

/** Counts per sync run: each write by its outcome, superseded observations unchanged, failures failed. */
export function tallyCuragenesis(
  plan: CuragenesisPlan,
  outcomes: ReadonlyMap<CuragenesisWrite, Outcome>,
): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const of = (syncId: string | null): Tally | undefined => {
    if (syncId === null) return undefined;
    let t = tallies.get(syncId);
    if (!t) tallies.set(syncId, (t = { inserted: 0, updated: 0, unchanged: 0, failed: 0 }));
    return t;
  };
  for (const run of plan.runs) {
    for (const w of run.writes) {
      const t = of(w.syncId);
      if (t) t[outcomes.get(w) ?? 'unchanged'] += 1;
    }
  }
  for (const s of plan.superseded) {
    const t = of(s.syncId);
    if (t) t.unchanged += 1;
  }
  for (const f of plan.failures) {
    const t = of(f.syncId);
    if (t) t.failed += 1;
  }
  return tallies;
}
