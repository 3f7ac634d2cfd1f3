import type { Pool } from 'pg';
import type { RepcardEntity, RepcardSimulator } from '../../../sim-repcard/src';
import { ENTITIES, TABLES, type Entity } from '../../../../libs/testkit/src/repcard-compare';
import { sameJson } from './json';
import type { Tally } from './tally';

/**
 * What a record should look like in its table: the record as served (default), a changed copy
 * (poison made storable), `absent` (malformed, or dead-lettered on purpose), or `unchecked` (the
 * case checks it some other way).
 */
export type Expect = (
  entity: RepcardEntity,
  index: number,
  served: Record<string, unknown>,
) => Record<string, unknown> | 'absent' | 'unchecked';

const asServed: Expect = (entity, index, served) => served;

/**
 * Every RepCard read-model table against the simulator, record for record: `lost` = in the source,
 * not in the table; `differs` = there, but raw_data is not the record; `doubled` = rows the source
 * does not have (a unique id cannot be stored twice, so an extra row is the only way to double) plus
 * sync-log tallies above what was fetched (`checkTallies`).
 */
export async function checkRepcard(
  pool: Pool,
  sim: RepcardSimulator,
  options: { entities?: readonly Entity[]; expect?: Expect } = {},
): Promise<Tally> {
  const expect =
    options.expect ?? ((e, i, served) => (sim.dataset.isMalformed(e, i) ? 'absent' : asServed(e, i, served)));
  const tally: Tally = { checked: 0, lost: 0, doubled: 0, differs: 0, samples: [] };
  for (const entity of options.entities ?? ENTITIES) {
    const [table, key] = TABLES[entity];
    const rows = await pool.query<{ k: string; raw_data: unknown }>(
      `SELECT ${key}::text AS k, raw_data FROM ${table}`,
    );
    const stored = new Map<string, unknown>();
    for (const r of rows.rows) {
      if (stored.has(r.k)) tally.doubled++;
      stored.set(r.k, r.raw_data);
    }
    const wanted = new Set<string>();
    const count = sim.dataset.count(entity);
    for (let i = 0; i < count; i++) {
      const served = sim.dataset.record(entity, i) as Record<string, unknown>;
      const want = expect(entity, i, served);
      const id = String(sim.dataset.idOf(entity, i));
      if (want === 'absent') continue;
      if (want === 'unchecked') {
        if (stored.has(id)) wanted.add(id);
        continue;
      }
      tally.checked++;
      wanted.add(id);
      const row = stored.get(id);
      if (row === undefined) {
        tally.lost++;
        if (tally.samples.length < 5) tally.samples.push(`${entity} ${id} missing`);
      } else if (!sameJson(row, want)) {
        tally.differs++;
        if (tally.samples.length < 5)
          tally.samples.push(`${entity} ${id} differs: ${JSON.stringify(row).slice(0, 160)}`);
      }
    }
    for (const id of stored.keys()) {
      if (wanted.has(id)) continue;
      tally.doubled++;
      if (tally.samples.length < 5) tally.samples.push(`${entity} ${id.slice(0, 60)} is not in the source`);
    }
  }
  return tally;
}

/**
 * The sync log of a run: per entity, inserted + updated + unchanged + failed must not exceed what
 * the ingest fetched (a batch applied twice counts twice). Returns the excess, summed, with samples.
 */
export async function checkTallies(
  pool: Pool,
  syncIds: readonly string[],
): Promise<{ excess: number; samples: string[] }> {
  if (syncIds.length === 0) return { excess: 0, samples: [] };
  const res = await pool.query<{
    sync_id: string;
    entity_type: string;
    fetched: number | null;
    applied: number;
  }>(
    `SELECT sync_id, entity_type, records_fetched AS fetched,
            records_inserted + records_updated + records_unchanged + records_failed AS applied
     FROM sync_log WHERE sync_id = ANY($1)`,
    [syncIds],
  );
  let excess = 0;
  const samples: string[] = [];
  for (const r of res.rows) {
    if (r.fetched !== null && r.applied > r.fetched) {
      excess += r.applied - r.fetched;
      samples.push(
        `${r.entity_type}: ${r.applied} applied of ${r.fetched} fetched (sync ${r.sync_id.slice(0, 8)})`,
      );
    }
  }
  return { excess, samples };
}

/** Runs whose every entity is settled (completed or failed), among `syncIds`. */
export async function settledRuns(pool: Pool, syncIds: readonly string[]): Promise<Map<string, string>> {
  const res = await pool.query<{ sync_id: string; status: string }>(
    `SELECT sync_id, status FROM sync_runs WHERE sync_id = ANY($1)`,
    [syncIds],
  );
  return new Map(
    res.rows
      .filter((r) => r.status !== 'running' && r.status !== 'requested')
      .map((r) => [r.sync_id, r.status]),
  );
}

/** The entities of a run that failed, with the error the sync log keeps (`entity: message`). */
export async function failedEntities(pool: Pool, syncId: string): Promise<string[]> {
  const res = await pool.query<{ entity_type: string; error_message: string }>(
    `SELECT entity_type, error_message FROM sync_log WHERE sync_id = $1 AND (status = 'failed' OR error_message IS NOT NULL)`,
    [syncId],
  );
  return res.rows.map((r) => `${r.entity_type}: ${r.error_message ?? 'failed'}`);
}
