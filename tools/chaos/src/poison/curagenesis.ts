import type { Pool } from 'pg';
import { makeStorable } from '../../../../services/projector/src/core/storable';
import type { CuragenesisPoisonKind, CuragenesisSimulator, Faults } from '../../../sim-curagenesis/src';
import { poisonRecord } from '../../../sim-curagenesis/src';
import { sameJson } from '../check/json';
import type { Tally } from '../check/tally';

/** Kinds PostgreSQL refuses for a practice (total_orders is an integer); impossible dates are checked apart. */
export const REFUSED_PRACTICE: ReadonlySet<CuragenesisPoisonKind> = new Set(['out-of-range']);
/** Nothing of an order is refused by range (total_amount is an unbounded numeric); dates apart. */
export const REFUSED_ORDER: ReadonlySet<CuragenesisPoisonKind> = new Set();

export interface CuraPoison {
  practices: Record<string, CuragenesisPoisonKind>;
  orders: Record<string, CuragenesisPoisonKind>;
}

/** Every kind in a practice, and a NUL and an impossible date in orders, spread over the pages. */
export function curagenesisPoison(sim: CuragenesisSimulator): CuraPoison {
  const kinds: CuragenesisPoisonKind[] = [
    'nul-text',
    'nul-key',
    'lone-surrogate',
    'out-of-range',
    'impossible-date',
    'huge-string',
  ];
  const practices = Object.fromEntries(kinds.map((k, i) => [sim.dataset.practice(3 + 7 * i).practiceId, k]));
  const orders = {
    [sim.dataset.order(5).order_id]: 'nul-text',
    [sim.dataset.order(40).order_id]: 'impossible-date',
  } as Record<string, CuragenesisPoisonKind>;
  return { practices, orders };
}

export const curaPoisonFaults = (p: CuraPoison): Faults => ({
  poison: { practices: p.practices, orders: p.orders },
});

/**
 * Practices and orders against the simulator while the poison is served: the refused ones absent,
 * the others stored as served with NUL and lone surrogates replaced (raw_data compared).
 */
export async function checkCuragenesisPoisoned(
  pool: Pool,
  sim: CuragenesisSimulator,
  poison: CuraPoison,
): Promise<Tally> {
  const tally: Tally = { checked: 0, lost: 0, doubled: 0, differs: 0, samples: [] };
  const compare = async (
    table: string,
    key: string,
    ids: string[],
    served: (id: string) => object,
    kindOf: (id: string) => CuragenesisPoisonKind | undefined,
    refused: ReadonlySet<string>,
    kind: 'practice' | 'order',
  ) => {
    const rows = await pool.query<{ k: string; raw_data: unknown }>(
      `SELECT ${key} AS k, raw_data FROM ${table}`,
    );
    const stored = new Map(rows.rows.map((r) => [r.k, r.raw_data]));
    for (const id of ids) {
      const poison = kindOf(id);
      if (poison !== undefined && refused.has(poison)) {
        if (stored.has(id)) tally.differs++;
        continue;
      }
      if (poison === 'impossible-date') continue; // impossibleCuraDates
      tally.checked++;
      const want =
        poison === undefined ? served(id) : makeStorable(poisonRecord(kind, served(id), poison)).value;
      const row = stored.get(id);
      if (row === undefined) tally.lost++;
      else if (!sameJson(row, want)) tally.differs++;
      if ((row === undefined || !sameJson(row, want)) && tally.samples.length < 5)
        tally.samples.push(`${kind} ${id} ${row === undefined ? 'missing' : 'differs'}`);
    }
    tally.doubled += [...stored.keys()].filter((k) => !ids.includes(k)).length;
  };
  const ds = sim.dataset;
  const practiceIds = Array.from({ length: ds.countPractices() }, (_, i) => ds.practice(i).practiceId);
  await compare(
    'curagenesis_practices',
    'practice_id',
    practiceIds,
    (id) => ds.practiceById(id)!,
    (id) => poison.practices[id],
    REFUSED_PRACTICE,
    'practice',
  );
  const orderIds = Array.from({ length: ds.countOrders() }, (_, i) => ds.order(i).order_id);
  await compare(
    'curagenesis_orders',
    'order_id',
    orderIds,
    (id) => ds.orderById(id)!,
    (id) => poison.orders[id],
    REFUSED_ORDER,
    'order',
  );
  return tally;
}

/**
 * Each record served with a date on 30 February: dead-lettered (absent), or stored with the column
 * null (the CuraGenesis tables reject a value they cannot read: not stored). Returns what is wrong.
 */
export async function impossibleCuraDates(
  pool: Pool,
  poison: CuraPoison,
  deadLettered: (id: string) => boolean,
): Promise<string[]> {
  const problems: string[] = [];
  const check = async (table: string, key: string, column: string, ids: string[]) => {
    for (const id of ids) {
      const res = await pool.query<{ at: Date | null }>(
        `SELECT ${column} AS at FROM ${table} WHERE ${key} = $1`,
        [id],
      );
      const row = res.rows[0];
      if (row === undefined && !deadLettered(id))
        problems.push(`${id} (a date on 2025-02-30) neither stored nor dead-lettered`);
      if (row?.at)
        problems.push(
          `${id}: 2025-02-30T10:00:00.000Z stored as ${column} ${row.at.toISOString()} (a different, real date)`,
        );
    }
  };
  const dated = (m: Record<string, CuragenesisPoisonKind>) =>
    Object.keys(m).filter((id) => m[id] === 'impossible-date');
  await check('curagenesis_practices', 'practice_id', 'activated_at', dated(poison.practices));
  await check('curagenesis_orders', 'order_id', 'order_date', dated(poison.orders));
  return problems;
}
