import { ENTITIES, type RepcardEntity } from './entities';

export interface OverlayUpdate {
  /** How many times the record was updated; renderers change a field by it. */
  rev: number;
  updatedAtMs: number;
}

/**
 * Mutations on top of the generated data: updated records and appended records. Memory grows with
 * the number of mutations only. `version` changes on every mutation (query caches key on it).
 */
export class Overlay {
  version = 0;
  private readonly updates = new Map<RepcardEntity, Map<number, OverlayUpdate>>();
  private readonly inserts = new Map<RepcardEntity, number[]>();
  private readonly sortedUpdates = new Map<RepcardEntity, number[]>();
  private readonly removed = new Map<RepcardEntity, Set<number>>();
  private readonly sortedRemoved = new Map<RepcardEntity, number[]>();

  constructor() {
    for (const entity of ENTITIES) {
      this.updates.set(entity, new Map());
      this.inserts.set(entity, []);
      this.removed.set(entity, new Set());
    }
  }

  /** Removes a record: the API no longer lists it (a deletion at the source). */
  remove(entity: RepcardEntity, index: number): void {
    this.removed.get(entity)?.add(index);
    this.sortedRemoved.delete(entity);
    this.version++;
  }

  /** Indices of removed records, ascending. */
  removedIndices(entity: RepcardEntity): readonly number[] {
    let sorted = this.sortedRemoved.get(entity);
    if (!sorted) {
      sorted = [...(this.removed.get(entity) ?? [])].sort((a, b) => a - b);
      this.sortedRemoved.set(entity, sorted);
    }
    return sorted;
  }

  update(entity: RepcardEntity, index: number, atMs: number): void {
    const updates = this.updates.get(entity) as Map<number, OverlayUpdate>;
    const rev = (updates.get(index)?.rev ?? 0) + 1;
    updates.set(index, { rev, updatedAtMs: atMs });
    this.sortedUpdates.delete(entity);
    this.version++;
  }

  /** Appends one record created at `atMs`; returns its position among the inserted records. */
  insert(entity: RepcardEntity, atMs: number): number {
    const list = this.inserts.get(entity) as number[];
    list.push(atMs);
    this.version++;
    return list.length - 1;
  }

  updateOf(entity: RepcardEntity, index: number): OverlayUpdate | undefined {
    return this.updates.get(entity)?.get(index);
  }

  /** Indices of updated records, ascending. */
  updatedIndices(entity: RepcardEntity): readonly number[] {
    let sorted = this.sortedUpdates.get(entity);
    if (!sorted) {
      sorted = [...(this.updates.get(entity)?.keys() ?? [])].sort((a, b) => a - b);
      this.sortedUpdates.set(entity, sorted);
    }
    return sorted;
  }

  insertedCount(entity: RepcardEntity): number {
    return this.inserts.get(entity)?.length ?? 0;
  }

  /** createdAt of the `position`-th inserted record. */
  insertedAtMs(entity: RepcardEntity, position: number): number {
    return (this.inserts.get(entity) as number[])[position] as number;
  }
}
