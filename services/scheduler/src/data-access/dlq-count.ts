import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { TOPICS, entityTopics } from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import { dlqSizes, dlqTopicOf, listDlqTopics, readDeadLetters } from '@tributary/kafka';
import { existing } from './read-models';

/**
 * The dashboard's DLQ figure: dead letters in this deployment's DLQ topics (`<topic>.dlq`, read as
 * `tributary dlq list` reads them: replay markers and transaction markers are not letters), and the
 * projector's DLQ limits in force (`projector_dlq_trips`: a group stopped until
 * `tributary dlq reset-limit`).
 */
export interface DlqSummary {
  /** Dead letters not replayed yet, null when Kafka could not be read. */
  waiting: number | null;
  /** Every dead letter, replayed or not. */
  total: number | null;
  topics: { topic: string; deadLetters: number; replayed: number }[];
  trips: { consumerGroup: string; topic: string; trippedAt: string; reason: string; message: string }[];
  /** When the topics were last read. */
  countedAt: string | null;
  error: string | null;
}

export interface DlqCounter {
  summary(): Promise<DlqSummary>;
}

type Counted = Pick<DlqSummary, 'waiting' | 'total' | 'topics' | 'countedAt' | 'error'>;

/** The DLQ topics this deployment writes (its namespace's origin topics), that exist. */
async function ownDlqTopics(kafka: Kafka): Promise<string[]> {
  const origins = [...Object.values(TOPICS), ...entityTopics().map((t) => t.topic)];
  const ours = new Set(origins.map(dlqTopicOf));
  return (await listDlqTopics(kafka)).filter((t) => ours.has(t));
}

/**
 * Counts are cached for `ttlMs` (reading a DLQ joins a throwaway consumer group: seconds); a stale
 * count is answered at once while a fresh one is read. The topics are read again only when their
 * offsets moved.
 */
export function createDlqCounter(options: {
  kafka: Kafka;
  pool: Pool;
  ttlMs?: number;
  readTimeoutMs?: number;
}): DlqCounter {
  const { kafka, pool } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  let cached: { at: number; counted: Counted; offsets: string } | null = null;
  let inFlight: Promise<Counted> | null = null;

  async function count(): Promise<Counted> {
    try {
      const topics = await ownDlqTopics(kafka);
      const sizes = await dlqSizes(kafka, topics);
      const offsets = JSON.stringify([...sizes]);
      if (cached && cached.offsets === offsets && cached.counted.error === null) {
        cached = {
          ...cached,
          at: Date.now(),
          counted: { ...cached.counted, countedAt: new Date().toISOString() },
        };
        return cached.counted;
      }
      const nonEmpty = topics.filter((t) => (sizes.get(t) ?? 0) > 0);
      const { letters } =
        nonEmpty.length > 0
          ? await readDeadLetters(kafka, nonEmpty, { timeoutMs: options.readTimeoutMs ?? 20_000 })
          : { letters: [] };
      const perTopic = nonEmpty.map((topic) => {
        const mine = letters.filter((l) => l.dlqTopic === topic);
        return { topic, deadLetters: mine.length, replayed: mine.filter((l) => l.replayedAt).length };
      });
      const total = letters.length;
      const counted: Counted = {
        waiting: total - letters.filter((l) => l.replayedAt).length,
        total,
        topics: perTopic.filter((t) => t.deadLetters > 0),
        countedAt: new Date().toISOString(),
        error: null,
      };
      cached = { at: Date.now(), counted, offsets };
      return counted;
    } catch (err) {
      const counted: Counted = cached
        ? { ...cached.counted, error: errorMessage(err) }
        : { waiting: null, total: null, topics: [], countedAt: null, error: errorMessage(err) };
      cached = { at: Date.now(), counted, offsets: cached?.offsets ?? '' };
      return counted;
    }
  }

  function refresh(): Promise<Counted> {
    inFlight ??= count().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async summary() {
      let counted: Counted;
      if (!cached) counted = await refresh();
      else {
        if (Date.now() - cached.at > ttlMs) void refresh();
        counted = cached.counted;
      }
      return { ...counted, trips: await openTrips(pool) };
    },
  };
}

/** The projector's DLQ limits in force (none while the projector has not created the table). */
async function openTrips(pool: Pool): Promise<DlqSummary['trips']> {
  if (!(await existing(pool, ['projector_dlq_trips'])).has('projector_dlq_trips')) return [];
  const { rows } = await pool.query<{
    consumer_group: string;
    topic: string;
    tripped_at: Date;
    reason: string;
    message: string;
  }>(
    `SELECT consumer_group, topic, tripped_at, reason, message FROM projector_dlq_trips
     WHERE cleared_at IS NULL ORDER BY tripped_at DESC`,
  );
  return rows.map((r) => ({
    consumerGroup: r.consumer_group,
    topic: r.topic,
    trippedAt: r.tripped_at.toISOString(),
    reason: r.reason,
    message: r.message,
  }));
}
