import type { RepcardEntity, TimedEntity } from '../entities';
import type { Rng } from '../random';
import type { ChildEntity, World } from '../world';

export interface RecordTimes {
  createdAtMs: number;
  updatedAtMs: number;
}

/** What renderers need beyond the World: overlay-aware times, revisions and parents. */
export interface RenderContext {
  readonly world: World;
  timesOf(entity: TimedEntity, index: number): RecordTimes;
  /** 0 for a record never mutated; renderers change one field by it. */
  revOf(entity: RepcardEntity, index: number): number;
  parentOf(child: ChildEntity, index: number): number;
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** Ten digits, US style, without country code (RepCard sends `countryCode` separately). */
export function phoneNumber(rng: Rng, areaCode: string): string {
  return `${areaCode}555${String(rng.int(10_000)).padStart(4, '0')}`;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
