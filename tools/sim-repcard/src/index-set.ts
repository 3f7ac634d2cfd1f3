/**
 * An ascending set of record indices stored as disjoint half-open ranges, with prefix sums so that
 * the k-th member (a page) is found by binary search.
 */
export class IndexSet {
  readonly size: number;
  private readonly prefix: number[];

  constructor(
    readonly starts: readonly number[],
    readonly ends: readonly number[],
  ) {
    this.prefix = new Array<number>(starts.length);
    let total = 0;
    for (let r = 0; r < starts.length; r++) {
      this.prefix[r] = total;
      total += (ends[r] as number) - (starts[r] as number);
    }
    this.size = total;
  }

  static range(start: number, end: number): IndexSet {
    return end > start ? new IndexSet([start], [end]) : new IndexSet([], []);
  }

  /** Members at positions [offset, offset + limit). */
  slice(offset: number, limit: number): number[] {
    const out: number[] = [];
    if (offset >= this.size || limit <= 0) return out;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.prefix[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    let r = lo;
    let i = (this.starts[r] as number) + (offset - (this.prefix[r] as number));
    while (out.length < limit && r < this.starts.length) {
      if (i < (this.ends[r] as number)) out.push(i++);
      else if (++r < this.starts.length) i = this.starts[r] as number;
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let r = 0; r < this.starts.length; r++) {
      for (let i = this.starts[r] as number; i < (this.ends[r] as number); i++) yield i;
    }
  }
}

/** Collects ascending ranges, merging touching ones. */
export class RangeBuilder {
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  push(start: number, end: number): void {
    if (end <= start) return;
    const last = this.ends.length - 1;
    if (last >= 0 && (this.ends[last] as number) >= start) {
      this.ends[last] = Math.max(this.ends[last] as number, end);
    } else {
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  build(): IndexSet {
    return new IndexSet(this.starts, this.ends);
  }
}

/** `set` without the ascending `points`. */
export function subtract(set: IndexSet, points: readonly number[]): IndexSet {
  if (points.length === 0) return set;
  const out = new RangeBuilder();
  let p = 0;
  for (let r = 0; r < set.starts.length; r++) {
    let start = set.starts[r] as number;
    const end = set.ends[r] as number;
    while (p < points.length && (points[p] as number) < end) {
      const point = points[p++] as number;
      if (point < start) continue;
      out.push(start, point);
      start = point + 1;
    }
    out.push(start, end);
  }
  return out.build();
}

/** `set` plus the ascending `points`. */
export function union(set: IndexSet, points: readonly number[]): IndexSet {
  if (points.length === 0) return set;
  const out = new RangeBuilder();
  let p = 0;
  for (let r = 0; r < set.starts.length; r++) {
    const start = set.starts[r] as number;
    while (p < points.length && (points[p] as number) < start) {
      const point = points[p++] as number;
      out.push(point, point + 1);
    }
    out.push(start, set.ends[r] as number);
  }
  while (p < points.length) {
    const point = points[p++] as number;
    out.push(point, point + 1);
  }
  return out.build();
}
