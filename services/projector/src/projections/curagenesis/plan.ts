import type { CuragenesisEntity, RecordObserved } from '@tributary/contracts';
import { malformed, type RecordFailure } from '../../core/record-failure';
import { collapseWrites, observedWrite, type PlannedWrite, type RowChanges } from '../../core/row-changes';
import type { ProjectedRecord } from '../projection';
import { normaliseRecord, type ItemRow } from './records';
import { CURAGENESIS_TABLES } from './tables';

export interface ItemSet {
  orderId: string;
  versionAt: string;
  items: ItemRow[];
}

export interface CuragenesisPlan extends RowChanges {
  /** The newest lines per order that carries lines. */
  itemSets: ItemSet[];
}

/** `practice.created` describes the first version of a practice: it never overwrites one we have. */
const INSERT_ONLY_EVENTS = new Set(['practice.created']);

/** The newest lines of each order (a later set wins a tie). */
export function newestItemSets(sets: Iterable<ItemSet>): ItemSet[] {
  const newest = new Map<string, ItemSet>();
  for (const set of sets) {
    const current = newest.get(set.orderId);
    if (!current || Date.parse(current.versionAt) <= Date.parse(set.versionAt)) newest.set(set.orderId, set);
  }
  return [...newest.values()];
}

/**
 * Plans one batch of a CuraGenesis entity topic. Versions are `sourceUpdatedAt ?? observedAt`, so poll
 * and webhook observations order against each other. Webhook payloads are usually partial, so
 * observations are grouped by the columns they carry; within a group the newest per id wins, and the
 * groups are applied in version order (oldest first). `knownEvents` gives the event of deliveries
 * already projected (deliveryId → event), for webhook payloads that do not name it.
 */
export function planCuragenesis(
  entity: CuragenesisEntity,
  records: readonly ProjectedRecord<RecordObserved>[],
  knownEvents: ReadonlyMap<string, string> = new Map(),
): CuragenesisPlan {
  const failures: RecordFailure[] = [];
  const writes: PlannedWrite[] = [];
  const itemSets: ItemSet[] = [];
  for (const { offset, value: event } of records) {
    const n = normaliseRecord(entity, event);
    if (!n.ok) {
      failures.push(malformed(offset, { entity, id: event.id, syncId: event.syncId }, n.error));
      continue;
    }
    const webhook = event.origin === 'webhook';
    const eventName = n.value.event ?? (event.deliveryId ? (knownEvents.get(event.deliveryId) ?? null) : null);
    const write = observedWrite(event, n.value.key, n.value.row, n.value.record, {
      insertOnly: webhook && eventName !== null && INSERT_ONLY_EVENTS.has(eventName),
      mergeRawData: webhook,
    });
    writes.push(write);
    if (n.value.items) itemSets.push({ orderId: write.key, versionAt: write.versionAt, items: n.value.items });
  }
  const spec = CURAGENESIS_TABLES[entity];
  return { source: 'curagenesis', entity, spec, ...collapseWrites(writes), failures, itemSets: newestItemSets(itemSets) };
}
