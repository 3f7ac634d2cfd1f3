import { POISON_KINDS, type PoisonKind, type RepcardEntity, type SimFaults } from '../../../sim-repcard/src';
import { makeStorable } from '../../../../services/projector/src/core/storable';
import type { Expect } from '../check/repcard';

/** Kinds PostgreSQL refuses (dead-lettered); the others are stored with U+FFFD (ADR 0010). */
export const REFUSED_KINDS: ReadonlySet<PoisonKind> = new Set(['out-of-range', 'impossible-date']);

export interface Poisoned {
  entity: RepcardEntity;
  index: number;
  kind: PoisonKind;
}

/** Every poison kind in customers, and the refused ones in appointments too, spread over the pages. */
export function repcardPoison(): Poisoned[] {
  return [
    ...POISON_KINDS.map((kind, i) => ({ entity: 'customers' as const, index: 7 + 37 * i, kind })),
    { entity: 'appointments', index: 11, kind: 'out-of-range' },
    { entity: 'appointments', index: 57, kind: 'nul-text' },
    { entity: 'appointments', index: 131, kind: 'impossible-date' },
  ];
}

export function poisonFaults(list: readonly Poisoned[]): SimFaults {
  const poison: NonNullable<SimFaults['poison']> = {};
  for (const p of list) (poison[p.entity] ??= []).push({ index: p.index, kind: p.kind });
  return { poison };
}

/**
 * The read model while the poison is served: refused records absent, the others stored as
 * served with NUL and lone surrogates replaced (a 2 MB string stored as it is).
 */
export function whilePoisoned(list: readonly Poisoned[]): Expect {
  const byKey = new Map(list.map((p) => [`${p.entity}:${p.index}`, p.kind]));
  return (entity, index, served) => {
    const kind = byKey.get(`${entity}:${index}`);
    if (kind === undefined) return served;
    if (REFUSED_KINDS.has(kind)) return 'absent';
    return makeStorable(served).value;
  };
}
