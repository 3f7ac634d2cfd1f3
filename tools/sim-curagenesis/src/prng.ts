/**
 * Seeded, stateless randomness: every record is a pure function of (seed, kind, index, ...), so the
 * simulator never stores generated records. `hash32` mixes any number of integers into one 32-bit
 * state (murmur3 finaliser per word); `rngFor` turns that state into a small mulberry32 stream.
 */

export type Rng = () => number;

function mix(h: number, k: number): number {
  let x = Math.imul(k | 0, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

function finalise(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Mixes integers (indexes above 2^32 are split into two words) into an unsigned 32-bit hash. */
export function hash32(...parts: number[]): number {
  let h = 0x9747b28c;
  for (const part of parts) {
    const lo = part % 0x1_0000_0000;
    const hi = Math.floor(part / 0x1_0000_0000);
    h = mix(h, lo);
    h = mix(h, hi);
  }
  return finalise(h ^ parts.length);
}

/** A string seed becomes a number; a number seed is used as given. */
export function seedNumber(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a fast 32-bit generator, uniform in [0, 1). */
export function mulberry32(state: number): Rng {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

export function rngFor(...parts: number[]): Rng {
  return mulberry32(hash32(...parts));
}

/** One uniform draw in [0, 1) for (parts), without building a stream. */
export function unitFor(...parts: number[]): number {
  return hash32(...parts) / 0x1_0000_0000;
}

export function intBetween(rng: Rng, min: number, maxInclusive: number): number {
  return min + Math.floor(rng() * (maxInclusive - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Picks from [value, weight] pairs. */
export function pickWeighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rng() * total;
  for (const [value, w] of items) {
    r -= w;
    if (r < 0) return value;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

/** Standard normal draw (Box-Muller). */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Salts that keep the streams of different record kinds and fields apart. */
export const Stream = {
  practice: 1,
  practiceVersion: 2,
  practiceUpdatedAt: 3,
  order: 4,
  rep: 5,
  malformed: 6,
  malformedVariant: 7,
  mutation: 8,
  jitter: 9,
  trickle: 10,
  practiceName: 11,
} as const;
