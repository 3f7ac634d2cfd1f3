import { hashOf } from './random';

/**
 * createdAt of record i, monotonic in i: the span is cut into `count` equal slots and record i sits
 * at a seeded offset inside slot i. Date-range queries therefore become index ranges found by
 * binary search, never scans.
 */
export class Timeline {
  constructor(
    readonly count: number,
    private readonly startSec: number,
    private readonly spanSec: number,
    private readonly seed: number,
    private readonly entityCode: number,
    private readonly salt: number,
  ) {}

  createdAtMs(index: number): number {
    const slotStart = this.startSec + Math.floor((index * this.spanSec) / this.count);
    const slotEnd = this.startSec + Math.floor(((index + 1) * this.spanSec) / this.count);
    const width = slotEnd - slotStart;
    const jitter = width > 1 ? hashOf(this.seed, this.entityCode, index, this.salt) % width : 0;
    return (slotStart + jitter) * 1000;
  }

  /** The first index whose createdAt is >= tMs (`count` when none is); accepts ±Infinity. */
  lowerBound(tMs: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.createdAtMs(mid) < tMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** `2019-01-10T18:33:31.000000Z`: RepCard's UTC timestamps (microseconds, always zero here). */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}

/** `2024-05-17 20:45:00`: a wall-clock value without offset. `ms` is read as if it were UTC. */
export function formatWallClock(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export const SECOND_MS = 1_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
