import type { Pool } from 'pg';
import {
  POISON_KINDS,
  type PoisonKind,
  type RepcardEntity,
  type RepcardSimulator,
  type SimFaults,
} from '../../../sim-repcard/src';
import { makeStorable } from '../../../../services/projector/src/core/storable';
import type { Expect } from '../check/repcard';

/**
 * Kinds PostgreSQL refuses (dead-lettered, ADR 0010); NUL and lone surrogates are stored with
 * U+FFFD. An impossible date may be dead-lettered or stored with the column null (RepCard tables
 * store a value they cannot read as null), so it is checked apart (`impossibleDates`).
 */
export const REFUSED_KINDS: ReadonlySet<PoisonKind> = new Set(['out-of-range']);

export interface Poisoned {
  entity: RepcardEntity;
  index: number;
  kind: PoisonKind;
}

/**
 * Every poison kind in customers, spread over the first pages, the 2 MB string on the last one (so
 * that what it does to its page does not hide the others); a few in appointments too.
 */
export function repcardPoison(customers: number): Poisoned[] {
  const kinds = POISON_KINDS.filter((k) => k !== 'huge-string');
  return [
    ...kinds.map((kind, i) => ({ entity: 'customers' as const, index: 7 + 37 * i, kind })),
    { entity: 'customers', index: customers - 3, kind: 'huge-string' },
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
    if (kind === 'impossible-date') return 'unchecked';
    return makeStorable(served).value;
  };
}

/**
 * Each record served with `createdAt` on 30 February: dead-lettered, or stored with `created_at`
 * null. Returns what is wrong (a row whose column holds another, real date, for instance).
 */
export async function impossibleDates(
  pool: Pool,
  sim: RepcardSimulator,
  list: readonly Poisoned[],
  deadLettered: (id: string) => boolean,
): Promise<string[]> {
  const problems: string[] = [];
  for (const x of list.filter((p) => p.kind === 'impossible-date')) {
    const [table, key] =
      x.entity === 'customers'
        ? ['repcard_customers', 'repcard_customer_id']
        : ['repcard_appointments', 'repcard_appointment_id'];
    const id = String(sim.dataset.idOf(x.entity, x.index));
    const res = await pool.query<{ created_at: Date | null }>(
      `SELECT created_at FROM ${table} WHERE ${key} = $1`,
      [id],
    );
    const row = res.rows[0];
    if (row === undefined && !deadLettered(id))
      problems.push(`${x.entity} ${id} (createdAt 2025-02-30) neither stored nor dead-lettered`);
    if (row?.created_at)
      problems.push(
        `${x.entity} ${id}: createdAt "2025-02-30 10:00:00" stored as created_at ${row.created_at.toISOString()} (a different, real date)`,
      );
  }
  return problems;
}
