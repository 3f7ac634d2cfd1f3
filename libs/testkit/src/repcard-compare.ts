import type { Pool } from 'pg';
import type { RepcardSimulator } from '../../../tools/sim-repcard/src';
import { syncLogRows } from './sync-log';

/** Each RepCard entity's read-model table and its source-id column. */
export const TABLES = {
  users: ['repcard_users', 'repcard_user_id'],
  offices: ['repcard_offices', 'repcard_office_id'],
  customers: ['repcard_customers', 'repcard_customer_id'],
  appointments: ['repcard_appointments', 'repcard_appointment_id'],
  status_logs: ['repcard_status_logs', 'repcard_log_id'],
  customer_attachments: ['repcard_customer_attachments', 'repcard_attachment_id'],
  appointment_attachments: ['repcard_appointment_attachments', 'repcard_attachment_id'],
} as const;

export type Entity = keyof typeof TABLES;
export const ENTITIES = Object.keys(TABLES) as Entity[];

export interface Difference {
  entity: string;
  id: string;
  problem: string;
}

/**
 * Compares every read-model table with the simulator's data, record for record and field for field
 * (raw_data is the record as served), and returns what differs (empty when equal). Malformed records
 * must be absent.
 */
export async function differences(
  pool: Pool,
  sim: RepcardSimulator,
  entities: readonly Entity[] = ENTITIES,
): Promise<Difference[]> {
  const diffs: Difference[] = [];
  for (const entity of entities) {
    const [table, key] = TABLES[entity];
    const rows = await pool.query<{ k: string; raw_data: unknown }>(
      `SELECT ${key}::text AS k, raw_data FROM ${table}`,
    );
    const byId = new Map(rows.rows.map((r) => [r.k, r.raw_data]));
    let expected = 0;
    const count = sim.dataset.count(entity);
    for (let i = 0; i < count; i++) {
      if (sim.dataset.isMalformed(entity, i)) continue;
      expected++;
      const record = sim.dataset.record(entity, i) as Record<string, unknown>;
      const id = String(entity === 'status_logs' ? record._id : record.id);
      const stored = byId.get(id);
      if (stored === undefined) diffs.push({ entity, id, problem: 'missing' });
      else if (JSON.stringify(sortKeys(stored)) !== JSON.stringify(sortKeys(record))) {
        diffs.push({
          entity,
          id,
          problem: `differs: stored ${JSON.stringify(stored).slice(0, 200)} vs ${JSON.stringify(record).slice(0, 200)}`,
        });
      }
      if (diffs.length > 20) return diffs;
    }
    if (byId.size !== expected)
      diffs.push({
        entity,
        id: '*',
        problem: `table has ${byId.size} rows, simulator ${expected} well-formed records`,
      });
  }
  return diffs;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export async function syncLog(pool: Pool, syncId: string) {
  return new Map((await syncLogRows(pool, 'repcard_sync_log', syncId)).map((r) => [r.entity_type, r]));
}
