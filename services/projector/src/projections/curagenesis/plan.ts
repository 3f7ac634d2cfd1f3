import type { CuragenesisEntity, RecordObserved } from '@tributary/contracts';
import { malformed, type RecordFailure } from '../../core/record-failure';
import { collapseWrites, observedWrite, type PlannedWrite, type RowChanges } from '../../core/row-changes';
import type { ProjectedRecord } from '../projection';
import { normaliseRecord, type ItemRow } from './records';
import { CURAGENESIS_TABLES } from './tables';
import { webhookVersion, type Known } from './webhook-version';

export interface ItemSet {
  orderId: string;
  versionAt: string;
  items: ItemRow[];
}

export interface CuragenesisPlan extends RowChanges {
  /** The newest lines per order that carries lines. */
  itemSets: ItemSet[];
}

/** The newest lines of each order (a later set wins a tie). */
function newestItemSets(sets: Iterable<ItemSet>): ItemSet[] {
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
 * groups are applied in version order (oldest first). `known` gives the deliveries already projected
 * (deliveryId → event, or event and first receipt), for webhook payloads that do not name their
 * event and for replays: see webhook-version.ts for how a webhook observation is versioned.
 */
export function planCuragenesis(
  entity: CuragenesisEntity,
  records: readonly ProjectedRecord<RecordObserved>[],
  known: ReadonlyMap<string, Known> = new Map(),
): CuragenesisPlan {
  const failures: RecordFailure[] = [];
  const writes: PlannedWrite[] = [];
  const itemSets: ItemSet[] = [];
  for (const { offset, value: event, at } of records) {
    const n = normaliseRecord(entity, event);
    if (!n.ok) {
      failures.push(malformed(offset, { entity, id: event.id, syncId: event.syncId }, n.error));
      continue;
    }
    const webhook = event.origin === 'webhook';
    const version = webhook ? webhookVersion(event, n.value.event, known) : null;
    const write = observedWrite(
      event,
      n.value.key,
      n.value.row,
      n.value.record,
      { insertOnly: version?.insertOnly ?? false, mergeRawData: webhook },
      at,
    );
    if (version) write.versionAt = version.versionAt;
    writes.push(write);
    if (n.value.items)
      itemSets.push({ orderId: write.key, versionAt: write.versionAt, items: n.value.items });
  }
  const spec = CURAGENESIS_TABLES[entity];
  return {
    source: 'curagenesis',
    entity,
    spec,
    ...collapseWrites(writes),
    failures,
    itemSets: newestItemSets(itemSets),
  };
}
