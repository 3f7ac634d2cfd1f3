import type { Position } from './types';

/**
 * Step 5, checkpoint (the checkpointer's half): the next offset of each partition in `batches`,
 * one position per partition (the furthest), for `Checkpointer.store` inside the transaction.
 */
export function nextPositions(
  batches: readonly { topic: string; partition: number; messages: readonly { offset: string }[] }[],
): Position[] {
  const next = new Map<string, { topic: string; partition: number; next: bigint }>();
  for (const b of batches) {
    const last = b.messages[b.messages.length - 1];
    if (!last) continue;
    const key = `${b.topic}\u0000${b.partition}`;
    const n = BigInt(last.offset) + 1n;
    if ((next.get(key)?.next ?? -1n) < n) next.set(key, { topic: b.topic, partition: b.partition, next: n });
  }
  return [...next.values()].map((p) => ({ ...p, next: p.next.toString() }));
}

/** What step 5 needs of kafkajs' eachBatch payload. */
export interface KafkaCheckpoint {
  resolveOffset(offset: string): void;
  commitOffsetsIfNecessary(): Promise<void>;
}

/**
 * Step 5, checkpoint (Kafka's half), always last: resolving the batch's last offset lets kafkajs
 * commit it (and any transaction marker after it) once the batch returns; with `byInterval`,
 * kafkajs commits only when its interval has passed (the checkpointer is authoritative there).
 */
export async function commitToKafka(
  kafka: KafkaCheckpoint,
  lastOffset: string,
  byInterval: boolean,
): Promise<void> {
  kafka.resolveOffset(lastOffset);
  if (byInterval) await kafka.commitOffsetsIfNecessary();
}
