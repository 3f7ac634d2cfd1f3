/**
 * Malformed-record fault: chosen records are served with one field of the wrong type (the id fields
 * stay intact so a consumer can quarantine them by id). Which records, and how they break, is a pure
 * function of (seed, kind, index), so tests can ask `dataset.isMalformed(kind, id)`.
 */
import { hash32, unitFor, Stream } from './prng';
import type { RecordKind } from './types';

export interface MalformedConfig {
  practiceIds?: string[];
  orderIds?: string[];
  /** Share (0..1) of records of `kinds` served malformed, chosen deterministically. */
  rate?: number;
  /** Kinds the rate applies to; default both. */
  kinds?: RecordKind[];
}

const KIND_SALT: Record<RecordKind, number> = { practice: 1, order: 2 };

/**
 * Each break puts a value of a JSON type no parser should coerce into the field (an object, array or
 * boolean where a number or string belongs; a number where text belongs), so even lenient record
 * schemas that accept numbers-as-strings reject it.
 */
const PRACTICE_BREAKS: readonly Record<string, unknown>[] = [
  { state: 42 },
  { totalOrders: { count: 'many' } },
  { activatedAt: true },
  { salesRep: ['not', 'a', 'name'] },
];

const ORDER_BREAKS: readonly Record<string, unknown>[] = [
  { total_amount: { amount: 'twelve dollars' } },
  { order_date: 20250101 },
  { paid: { value: 'yes' } },
  { practice_id: true },
];

export class MalformedRules {
  private ids = { practice: new Set<string>(), order: new Set<string>() };
  private rate = 0;
  private kinds = new Set<RecordKind>(['practice', 'order']);

  constructor(private readonly seed: number) {}

  configure(config: MalformedConfig | undefined): void {
    this.ids = { practice: new Set(config?.practiceIds ?? []), order: new Set(config?.orderIds ?? []) };
    this.rate = config?.rate ?? 0;
    this.kinds = new Set(config?.kinds ?? ['practice', 'order']);
  }

  get active(): boolean {
    return this.rate > 0 || this.ids.practice.size > 0 || this.ids.order.size > 0;
  }

  applies(kind: RecordKind, id: string, index: number): boolean {
    if (this.ids[kind].has(id)) return true;
    return (
      this.rate > 0 &&
      this.kinds.has(kind) &&
      unitFor(this.seed, Stream.malformed, KIND_SALT[kind], index) < this.rate
    );
  }

  /** The record as served: a copy with one field broken. */
  malform<T extends object>(kind: RecordKind, index: number, record: T): Record<string, unknown> {
    const breaks = kind === 'practice' ? PRACTICE_BREAKS : ORDER_BREAKS;
    const variant = hash32(this.seed, Stream.malformedVariant, KIND_SALT[kind], index) % breaks.length;
    return { ...record, ...breaks[variant] };
  }
}
