import type { Pool } from 'pg';
import { createKafka, readDeadLetters, type DeadLetter } from '@tributary/kafka';

/** Every dead letter of the pipeline's `topics` (without namespace), as `tributary dlq list` reads them. */
export async function deadLetters(namespace: string, topics: readonly string[]): Promise<DeadLetter[]> {
  const kafka = createKafka({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    clientId: `${namespace}chaos-dlq`,
  });
  const dlqs = topics.map((t) => `${namespace}${t}.dlq`);
  const { letters } = await readDeadLetters(kafka, dlqs, { timeoutMs: 60_000 });
  return letters;
}

/** The dead letter of record `id` (its Kafka key), if any. */
export function letterFor(letters: readonly DeadLetter[], id: string): DeadLetter | undefined {
  return letters.find((l) => l.key?.toString() === id);
}

/** Records noted as stored with a replaced character (ADR 0010), as `entity:id`. */
export async function sanitizedRecords(pool: Pool): Promise<Set<string>> {
  const res = await pool.query<{ entity: string; record_id: string }>(
    `SELECT entity, record_id FROM projector_sanitized_records`,
  );
  return new Set(res.rows.map((r) => `${r.entity}:${r.record_id}`));
}
