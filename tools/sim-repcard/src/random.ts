/**
 * Seeded, allocation-light randomness. Every generated value is a pure function of
 * (seed, entity, index, salt), so record i can be produced without producing records 0..i-1.
 */

/** murmur3's 32-bit finaliser: a good avalanche for integer keys. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Folds any safe integer (also negative or above 2^32) into 32 bits. */
export function seed32(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return mix32(lo ^ mix32(hi ^ 0x5bd1e995));
}

/** The hash every generator derives from; `index` must be below 2^32. */
export function hashOf(seed: number, entity: number, index: number, salt: number): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(entity + 1, 0x27d4eb2d));
  h = mix32(h ^ index);
  return mix32(h ^ Math.imul(salt + 1, 0x165667b1));
}

/** A uniform float in [0, 1) from a 32-bit hash. */
export function unit(hash: number): number {
  return hash / 4294967296;
}

/** mulberry32: a tiny sequential PRNG for the cosmetic fields of one record or for fault decisions. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}
