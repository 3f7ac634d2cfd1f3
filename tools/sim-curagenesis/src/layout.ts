/**
 * Where the base orders live: practice p owns the contiguous order indexes [offsets[p], offsets[p+1]),
 * block sizes proportional to a seeded weight (older practices order more; practices not activated
 * own none). Memory is two Float64Arrays of one slot per practice, whatever the number of orders.
 */
import { practiceBase, type GenContext } from './records';

export class BaseLayout {
  private readonly offsets: Float64Array;
  /** Activation time per base practice, NaN when not activated. */
  private readonly activatedAt: Float64Array;

  constructor(
    readonly practices: number,
    readonly orders: number,
    ctx: GenContext,
  ) {
    this.activatedAt = new Float64Array(practices);
    this.offsets = new Float64Array(practices + 1);
    const weights = new Float64Array(practices);
    let total = 0;
    for (let p = 0; p < practices; p++) {
      const base = practiceBase(ctx, p, false);
      this.activatedAt[p] = base.activatedAt ?? Number.NaN;
      weights[p] = base.weight;
      total += base.weight; // > 0: practice 0 is always activated
    }
    let cumulative = 0;
    for (let p = 0; p < practices; p++) {
      this.offsets[p] = Math.round((orders * cumulative) / total);
      cumulative += weights[p] as number;
    }
    this.offsets[practices] = orders;
  }

  /** Base activation time of practice p, null when not activated (or not a base practice). */
  activatedAtOf(p: number): number | null {
    const at = p < this.practices ? (this.activatedAt[p] as number) : Number.NaN;
    return Number.isNaN(at) ? null : at;
  }

  /** [start, end) of the base orders of practice p (empty for practices inserted later). */
  orderRange(p: number): [number, number] {
    if (p >= this.practices) return [this.orders, this.orders];
    return [this.offsets[p] as number, this.offsets[p + 1] as number];
  }

  /** The practice of base order i: the last practice whose block starts at or before i. */
  practiceOf(i: number): number {
    let lo = 0;
    let hi = this.practices - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.offsets[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
