import type { Dataset } from './dataset';
import { isTimed, type RepcardEntity, type TimedEntity } from './entities';
import { IndexSet, RangeBuilder, subtract, union } from './index-set';

/** A half-open time window [fromMs, toMs); either side may be infinite. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface RecordPredicate {
  /** Identifies the predicate in the query cache (e.g. `customer_ids=1,2`). */
  key: string;
  test(index: number): boolean;
}

export interface QuerySpec {
  created?: TimeWindow;
  updated?: TimeWindow;
  predicate?: RecordPredicate;
}

const CACHE_SIZE = 16;

function within(ms: number, w: TimeWindow | undefined): boolean {
  return w === undefined || (ms >= w.fromMs && ms < w.toMs);
}

/**
 * Finds the records matching a query as an IndexSet without scanning the data set: createdAt
 * windows are index ranges (binary search), updatedAt windows scan only the edges where
 * createdAt <= updatedAt <= createdAt + maxDelta leaves the answer open, and the few mutated
 * records are re-checked one by one. Relation predicates scan the result (cached per query).
 */
export class QueryEngine {
  private readonly cache = new Map<string, IndexSet>();

  constructor(private readonly dataset: Dataset) {}

  find(entity: RepcardEntity, spec: QuerySpec): IndexSet {
    const key = [
      entity,
      spec.created?.fromMs,
      spec.created?.toMs,
      spec.updated?.fromMs,
      spec.updated?.toMs,
      spec.predicate?.key,
      this.dataset.version,
    ].join('|');
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    let set = subtract(this.byTime(entity, spec), this.dataset.removedIndices(entity));
    if (spec.predicate) set = filter(set, spec.predicate);
    this.cache.set(key, set);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    return set;
  }

  private byTime(entity: RepcardEntity, spec: QuerySpec): IndexSet {
    if (!isTimed(entity) || (!spec.created && !spec.updated))
      return IndexSet.range(0, this.dataset.count(entity));
    const base = this.dataset.baseCount(entity);
    const mutated = this.dataset.updatedIndices(entity).filter((i) => i < base);
    const generated = subtract(this.generated(entity, spec), mutated);
    const extra: number[] = [];
    const check = (i: number): void => {
      const t = this.dataset.timesOf(entity, i);
      if (within(t.createdAtMs, spec.created) && within(t.updatedAtMs, spec.updated)) extra.push(i);
    };
    mutated.forEach(check);
    for (let i = base; i < this.dataset.count(entity); i++) check(i);
    return union(generated, extra);
  }

  /** Matching generated (base) records, as if no record had been mutated. */
  private generated(entity: TimedEntity, spec: QuerySpec): IndexSet {
    const world = this.dataset.world;
    const lb = (ms: number): number => world.lowerBound(entity, ms);
    let lo = 0;
    let hi = this.dataset.baseCount(entity);
    if (spec.created) {
      lo = Math.max(lo, lb(spec.created.fromMs));
      hi = Math.min(hi, lb(spec.created.toMs));
    }
    const updated = spec.updated;
    if (!updated) return IndexSet.range(lo, hi);
    const out = new RangeBuilder();
    const scan = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const ms = world.updatedAtMs(entity, i);
        if (ms >= updated.fromMs && ms < updated.toMs) out.push(i, i + 1);
      }
    };
    const delta = world.maxUpdateDeltaMs(entity);
    const candLo = Math.max(lo, lb(updated.fromMs - delta));
    const candHi = Math.min(hi, lb(updated.toMs));
    // createdAt in [from, to - delta) guarantees updatedAt in [from, to).
    const sureLo = Math.max(candLo, lb(updated.fromMs));
    const sureHi = Math.min(candHi, lb(updated.toMs - delta));
    if (sureLo < sureHi) {
      scan(candLo, sureLo);
      out.push(sureLo, sureHi);
      scan(sureHi, candHi);
    } else {
      scan(candLo, candHi);
    }
    return out.build();
  }
}

function filter(set: IndexSet, predicate: RecordPredicate): IndexSet {
  const out = new RangeBuilder();
  for (const i of set) if (predicate.test(i)) out.push(i, i + 1);
  return out.build();
}
