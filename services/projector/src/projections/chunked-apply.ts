import type { PoolClient } from 'pg';
import type { Metrics } from '@tributary/observability';
import type { Notice } from '../core/notices';
import type { RecordFailure } from '../core/record-failure';
import type { AnyProjection, Planned, ProjectedRecord } from './projection';

/**
 * Records per chunk of a large batch (ADR 0023). A chunk's statements (stage, COPY, upsert, links,
 * counts) and the turns node and PostgreSQL take around them cost more than overlapping the next
 * chunk's plan gains on a quiet machine (addendum 2), so by default (PROJECTOR_CHUNK_ROWS) a
 * fetch's batch is one chunk. Tests lower it to force chunking.
 */
export const CHUNKING = { rows: 20_000 };

export interface Applied {
  notices: Notice[];
  failures: RecordFailure[];
}

/**
 * Plans and applies one topic's records inside the caller's transaction. A projection with
 * `chunkKey` (and no `lookup`) and more than `CHUNKING.rows` records is applied in chunks, each
 * holding every record of its keys in their order, so each chunk's plan is what the whole batch's
 * plan is for those keys; chunk i+1 is planned (and `prepare`d: its COPY text made) while PostgreSQL runs chunk i's upsert (node and
 * PostgreSQL each on their own core instead of taking turns). The change notices of one table are
 * merged back into one, as one plan would have made them.
 */
export async function planAndApply(
  db: PoolClient,
  projection: AnyProjection,
  topic: string,
  records: readonly ProjectedRecord[],
  metrics?: Metrics,
): Promise<Applied> {
  const chunks =
    projection.chunkKey && !projection.lookup ? chunksByKey(records, projection.chunkKey, CHUNKING.rows) : [];
  if (chunks.length <= 1) {
    const lookups = projection.lookup ? await projection.lookup(db, topic, records) : undefined;
    const plan = projection.plan(topic, records, lookups);
    return { notices: await projection.apply(db, plan, metrics), failures: plan.failures };
  }
  const notices: Notice[] = [];
  const failures: RecordFailure[] = [];
  let plan: Planned | undefined = projection.plan(topic, chunks[0]!, undefined);
  for (let i = 0; plan !== undefined; i++) {
    let next: Planned | undefined;
    const planNext = (): void => {
      if (next !== undefined || i + 1 >= chunks.length) return;
      next = projection.plan(topic, chunks[i + 1]!, undefined);
      projection.prepare?.(next);
    };
    notices.push(...(await projection.apply(db, plan, metrics, planNext)));
    failures.push(...plan.failures);
    planNext();
    plan = next;
  }
  return { notices: mergeChanges(notices), failures };
}

/**
 * `records` split into about `size`-record chunks by their key's hash: every record of one key in
 * the same chunk, each chunk in the records' order. One chunk (the records themselves) when small.
 */
export function chunksByKey<T>(
  records: readonly T[],
  keyOf: (value: unknown) => string,
  size: number,
): (readonly T[])[] {
  const count = Math.ceil(records.length / size);
  if (count <= 1) return [records];
  const chunks: T[][] = Array.from({ length: count }, () => []);
  for (const r of records) chunks[hash(keyOf((r as { value: unknown }).value)) % count]!.push(r);
  return chunks.filter((c) => c.length > 0);
}

/** FNV-1a of a string, unsigned 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The `changes` notices of one table summed into one (sync ids united), in first-seen order. */
export function mergeChanges(notices: readonly Notice[]): Notice[] {
  const out: Notice[] = [];
  const byTable = new Map<string, Extract<Notice, { channel: 'changes' }>>();
  for (const n of notices) {
    if (n.channel !== 'changes') {
      out.push(n);
      continue;
    }
    const seen = byTable.get(n.payload.table);
    if (!seen) {
      const copy = {
        channel: 'changes' as const,
        payload: { ...n.payload, syncIds: [...n.payload.syncIds] },
      };
      byTable.set(n.payload.table, copy);
      out.push(copy);
      continue;
    }
    seen.payload.inserted += n.payload.inserted;
    seen.payload.updated += n.payload.updated;
    for (const id of n.payload.syncIds) if (!seen.payload.syncIds.includes(id)) seen.payload.syncIds.push(id);
  }
  return out;
}
