import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { entitiesOf, entityTopic, type Source } from '@tributary/contracts';
import { TributaryError } from '@tributary/core';
import { withTransaction } from '@tributary/db';
import type { SchemaCodec } from '@tributary/kafka';
import type { TableSpec } from '../core/table-spec';
import { PROJECTIONS } from '../projections';
import { projectionsByTopic } from '../projections/project-batches';
import type { AnyProjection } from '../projections/projection';
import { REPCARD_TABLES } from '../projections/repcard/tables';
import { createShadows, dropShadows, analyzeShadows } from './shadow-tables';
import {
  applyShadow,
  planShadow,
  writeShadow,
  type PlannedShadow,
  type ReplayedRecord,
} from './shadow-writer';
import { lockGivingWay, swapInShadows } from './swap-tables';
import { rangesToEnd, readRanges, type PartitionRange } from './topic-ranges';

/**
 * The read models a rebuild replaces, by source: those whose projections write through table
 * specs only. CuraGenesis' webhook stores (deliveries, notifications, order items) write their own
 * SQL: not rebuildable yet (ADR 0021).
 */
const REBUILDABLE: Partial<Record<Source, Record<string, TableSpec>>> = { repcard: REPCARD_TABLES };

const BY_TOPIC = projectionsByTopic(PROJECTIONS);

export interface RebuildProgress {
  phase: 'replay' | 'swap' | 'done';
  /** Records read so far (of the end offsets captured at start). */
  records: number;
  /** Records between the start and the end offsets captured at start (transaction markers included). */
  total: number;
  failed: number;
  elapsedMs: number;
}

export interface RebuildResult {
  source: Source;
  /** Records replayed up to the end offsets captured at start. */
  records: number;
  /** Records the live projector had committed beyond those ends, replayed inside the swap. */
  caughtUp: number;
  /** Records planned or stored as failures (dead-lettered when the live projector met them). */
  failed: number;
  seconds: number;
  recordsPerSecond: number;
  /** The end offsets captured at start. */
  ends: { topic: string; partition: number; offset: string }[];
  /** Each rebuilt table's rows after the swap. */
  tables: { table: string; rows: number }[];
}

export interface RebuildOptions {
  pool: Pool;
  kafka: Kafka;
  codec: Pick<SchemaCodec, 'decode' | 'decodeKnown'>;
  source: Source;
  /** Records per shadow write (one transaction, COPY from WRITE_PATH.copyMinRows). Default 5,000. */
  chunkRecords?: number;
  /**
   * Shadow writes side by side, each of another partition (ChunkWriter). Default 2: node plans on
   * one core while PostgreSQL writes on the other, and a second write keeps PostgreSQL busy while
   * the first waits for node to send its next statement. Each needs a connection of `pool`, beside
   * the one holding the rebuild's lock.
   */
  parallelWrites?: number;
  onProgress?: (p: RebuildProgress) => void;
  /** Called once the shadows hold every record up to the captured ends, before the swap (tests). */
  beforeSwap?: () => Promise<void>;
}

/** The topics and tables of a rebuildable source; throws REBUILD_UNSUPPORTED for the others. */
export function rebuildTargets(source: Source): { topics: string[]; specs: TableSpec[] } {
  const tables = REBUILDABLE[source];
  if (!tables) {
    throw new TributaryError('REBUILD_UNSUPPORTED', `${source} read models cannot be rebuilt yet (ADR 0021)`);
  }
  return { topics: entitiesOf(source).map((e) => entityTopic(source, e)), specs: Object.values(tables) };
}

function projectionOf(topic: string): AnyProjection {
  const p = BY_TOPIC.get(topic);
  if (!p) throw new TributaryError('REBUILD_UNSUPPORTED', `no projection handles ${topic}`);
  return p;
}

/**
 * Rebuilds a source's read models from its Kafka history (ADR 0021): captures the end offsets,
 * replays every partition from its start into shadow tables with the projector's own plan and
 * write path, while the live tables keep serving and the live projector keeps projecting; then,
 * in one transaction that holds the live tables (EXCLUSIVE: reads go on, writes wait) and the live
 * projector's offset rows (FOR UPDATE), replays what it committed beyond the captured ends and
 * swaps the shadows in. The sync log is not touched: its counts were made by the live projector.
 */
export async function rebuildSource(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, kafka, codec, source } = options;
  const { topics, specs } = rebuildTargets(source);
  const tables = specs.map((s) => s.table);
  const started = performance.now();
  const lock = await pool.connect();
  try {
    const got = await lock.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('tributary.rebuild'), hashtext($1)) AS ok`,
      [source],
    );
    if (!got.rows[0]?.ok)
      throw new TributaryError('REBUILD_FAILED', `a rebuild of ${source} is already running`);
    const ranges = await rangesToEnd(kafka, topics);
    const total = ranges.reduce((n, r) => n + Number(r.to - r.from), 0);
    const progress: RebuildProgress = { phase: 'replay', records: 0, total, failed: 0, elapsedMs: 0 };
    const report = (phase: RebuildProgress['phase']): void => {
      progress.phase = phase;
      progress.elapsedMs = performance.now() - started;
      options.onProgress?.({ ...progress });
    };
    await withTransaction(pool, (db) => createShadows(db, tables));
    let caughtUp = 0;
    try {
      report('replay');
      const writer = new ChunkWriter(
        pool,
        tables,
        options.chunkRecords ?? 5_000,
        (written, failed) => {
          progress.records += written + failed;
          progress.failed += failed;
          report('replay');
        },
        options.parallelWrites ?? 2,
      );
      await readRanges(kafka, codec, ranges, (topic, records, undecodable) => {
        progress.records += undecodable;
        progress.failed += undecodable;
        return writer.add(topic, records);
      });
      await writer.flush();
      await analyzeShadows(pool, tables);
      await options.beforeSwap?.();
      report('swap');
      caughtUp = await swap(pool, kafka, codec, topics, specs, ranges);
    } catch (err) {
      await withTransaction(pool, (db) => dropShadows(db, tables)).catch(() => undefined);
      throw err;
    }
    const seconds = (performance.now() - started) / 1000;
    report('done');
    return {
      source,
      records: progress.records,
      caughtUp,
      failed: progress.failed,
      seconds,
      recordsPerSecond: progress.records / Math.max(seconds, 1e-3),
      ends: ranges.map((r) => ({ topic: r.topic, partition: r.partition, offset: String(r.to) })),
      tables: await countRows(pool, tables),
    };
  } finally {
    await lock
      .query(`SELECT pg_advisory_unlock(hashtext('tributary.rebuild'), hashtext($1))`, [source])
      .catch(() => undefined);
    lock.release();
  }
}

/**
 * The swap transaction: the live tables locked EXCLUSIVE first (waiting for a live projector
 * transaction in flight; later ones wait on their first write), then the offset rows of every
 * consumer group for the source's topics FOR UPDATE; records committed beyond the captured ends
 * (the newest offset of any group) are replayed into the shadows; then the tables are swapped.
 * Returns how many records were caught up.
 */
async function swap(
  pool: Pool,
  kafka: Kafka,
  codec: Pick<SchemaCodec, 'decode' | 'decodeKnown'>,
  topics: readonly string[],
  specs: readonly TableSpec[],
  ends: readonly PartitionRange[],
): Promise<number> {
  const tables = specs.map((s) => s.table);
  return withTransaction(pool, async (db: PoolClient) => {
    await lockGivingWay(db, tables, 'EXCLUSIVE');
    const committed = await db.query<{ topic: string; partition: number; next_offset: string }>(
      `SELECT topic, partition, next_offset::text FROM projector_offsets WHERE topic = ANY($1) FOR UPDATE`,
      [topics],
    );
    const gap = catchUpRanges(ends, committed.rows);
    let caughtUp = 0;
    await readRanges(kafka, codec, gap, async (topic, records, undecodable) => {
      const w = await writeShadow(db, projectionOf(topic), topic, records, tables);
      caughtUp += w.written + w.failed + undecodable;
    });
    await swapInShadows(db, specs);
    return caughtUp;
  });
}

/** Per partition, from the captured end to the newest offset any consumer group committed, when beyond. */
export function catchUpRanges(
  ends: readonly PartitionRange[],
  committed: readonly { topic: string; partition: number; next_offset: string }[],
): PartitionRange[] {
  const newest = new Map<string, bigint>();
  for (const c of committed) {
    const k = `${c.topic}:${c.partition}`;
    const next = BigInt(c.next_offset);
    if (next > (newest.get(k) ?? -1n)) newest.set(k, next);
  }
  const endOf = new Map(ends.map((e) => [`${e.topic}:${e.partition}`, e.to]));
  const out: PartitionRange[] = [];
  for (const [k, to] of newest) {
    const from = endOf.get(k) ?? 0n;
    if (to <= from) continue;
    const i = k.lastIndexOf(':');
    out.push({ topic: k.slice(0, i), partition: Number(k.slice(i + 1)), from, to });
  }
  return out;
}

async function countRows(pool: Pool, tables: readonly string[]): Promise<{ table: string; rows: number }[]> {
  const res = await pool.query<{ t: string; n: string }>(
    tables.map((t, i) => `SELECT ${i} AS i, '${t}' AS t, count(*)::text AS n FROM ${t}`).join(' UNION ALL ') +
      ' ORDER BY i',
  );
  return res.rows.map((r) => ({ table: r.t, rows: Number(r.n) }));
}

/**
 * Buffers each partition's records into chunks and writes each in one transaction: at most one write
 * in flight per partition, and up to `parallel` of one topic's partitions side by side (mayStart).
 * Records are keyed by their id, so two partitions never hold the same row: writes side by side
 * never wait on each other's row locks, and a row's versions stay in order (as the live projector's
 * partitions do). A chunk is planned while a write before it is in PostgreSQL's hands (its upsert sent, its
 * answer awaited: ADR 0023), so node plans on one core while PostgreSQL writes on the other;
 * planned before the write started, as it was, the write waited for the plan (a busy event loop
 * sends no statement) and the two took turns. With one write at a time, PostgreSQL also sat idle
 * between a write's statements whenever node was decoding a fetch (ADR 0023, addendum 8). A slow
 * write slows the read.
 */
class ChunkWriter {
  private readonly buffers = new Map<string, { topic: string; records: ReplayedRecord[] }>();
  /** The write in flight of each partition (`topic:partition`); `done` never rejects (see `failure`). */
  private readonly inFlight = new Map<string, { topic: string; done: Promise<void> }>();
  private failure: { error: unknown } | undefined;
  /** Plans the chunk waiting for a write slot; a write in flight calls it while it upserts. */
  private planNext: (() => void) | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly tables: readonly string[],
    private readonly chunk: number,
    private readonly done: (written: number, failed: number) => void,
    private readonly parallel: number,
  ) {}

  async add(topic: string, records: readonly ReplayedRecord[]): Promise<void> {
    // readRanges passes one fetched batch: one partition's records.
    for (const r of records) {
      const lane = `${topic}:${r.at.partition}`;
      let buffer = this.buffers.get(lane);
      if (!buffer) this.buffers.set(lane, (buffer = { topic, records: [] }));
      buffer.records.push(r);
    }
    // A fetched batch may hold many chunks (4 MiB of a partition): each is written on its own.
    for (const [lane, buffer] of this.buffers) {
      while (buffer.records.length >= this.chunk) {
        const chunk = buffer.records.slice(0, this.chunk);
        buffer.records = buffer.records.slice(this.chunk);
        await this.enqueue(lane, buffer.topic, chunk);
      }
    }
    // Nothing in PostgreSQL's hands (the start, or a fetch slower than the writes): this batch's
    // records go now rather than wait for a whole chunk. At the start the first chunk of a partition
    // waited for its second fetched batch: half a second of a 200k rebuild with PostgreSQL idle.
    const lane = records[0] && `${topic}:${records[0].at.partition}`;
    const buffer = lane && this.buffers.get(lane);
    if (lane && buffer && buffer.records.length > 0 && this.inFlight.size === 0) {
      const chunk = buffer.records;
      buffer.records = [];
      await this.enqueue(lane, buffer.topic, chunk);
    }
  }

  async flush(): Promise<void> {
    for (const [lane, buffer] of this.buffers) {
      if (buffer.records.length > 0) await this.enqueue(lane, buffer.topic, buffer.records);
    }
    this.buffers.clear();
    await Promise.all([...this.inFlight.values()].map((w) => w.done));
    if (this.failure) throw this.failure.error;
  }

  /** Plans `records` during a write in flight (or once a slot is free), then writes them. */
  private async enqueue(lane: string, topic: string, records: readonly ReplayedRecord[]): Promise<void> {
    let planned: PlannedShadow | undefined;
    // A plan that throws fails this chunk, not the write in flight that happened to run it.
    let refused: { error: unknown } | undefined;
    const plan = (): void => {
      if (planned || refused) return;
      try {
        planned = planShadow(projectionOf(topic), topic, records);
      } catch (error) {
        refused = { error };
      }
    };
    this.planNext = plan;
    try {
      while (!this.mayStart(lane, topic)) await Promise.race([...this.inFlight.values()].map((w) => w.done));
    } finally {
      this.planNext = undefined;
    }
    if (this.failure) throw this.failure.error;
    plan();
    if (refused) throw refused.error;
    const write = this.write(planned!).then(
      () => undefined,
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    this.inFlight.set(lane, { topic, done: write.finally(() => this.inFlight.delete(lane)) });
  }

  /**
   * Whether a write of `lane` may start now: none of its own in flight, a free slot, and every write
   * in flight of the same topic. Writes of two topics must not overlap: each links its rows to the
   * other tables' committed rows (a customer to its appointments, an appointment to its customer),
   * so two uncommitted sides would each miss the other and leave both unlinked.
   */
  private mayStart(lane: string, topic: string): boolean {
    if (this.inFlight.has(lane) || this.inFlight.size >= this.parallel) return false;
    for (const w of this.inFlight.values()) if (w.topic !== topic) return false;
    return true;
  }

  private async write(planned: PlannedShadow): Promise<void> {
    const w = await withTransaction(this.pool, (db) =>
      applyShadow(db, planned, this.tables, () => this.planNext?.()),
    );
    this.done(w.written, w.failed);
  }
}
