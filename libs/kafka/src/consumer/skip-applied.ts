import type { KafkaMessage } from 'kafkajs';
import { DependencyError, TributaryError, errorMessage } from '@tributary/core';
import type { Checkpointer } from './types';

/**
 * Step 1, skip-applied: the records of a fetched batch that the checkpointer says an earlier run
 * did not apply yet (all of them when there is no checkpointer or no stored position). A failed
 * read is a retriable OFFSET_STORE_FAILED: the batch is fetched again later.
 */
export async function skipApplied(
  checkpointer: Pick<Checkpointer<unknown>, 'read'> | undefined,
  where: { group: string; topic: string; partition: number },
  messages: KafkaMessage[],
  known?: KnownPositions,
): Promise<KafkaMessage[]> {
  if (!checkpointer) return messages;
  let from = known?.get(where.topic, where.partition);
  if (from === undefined) {
    const next = await readPosition(checkpointer, where);
    if (next === undefined) return messages;
    from = BigInt(next);
    known?.set(where.topic, where.partition, from);
  }
  const first = messages[0];
  if (first !== undefined && BigInt(first.offset) >= from) return messages;
  return messages.filter((m) => BigInt(m.offset) >= from);
}

/**
 * What this member knows of its partitions' stored positions, so that skip-applied reads the
 * checkpointer once per assignment instead of once per batch (on the live path, one statement per
 * partition before every transaction). A position is learnt from a read, and moved on when a batch's
 * transaction committed; it is forgotten when a batch fails (its transaction's outcome may be
 * unknown) and all are forgotten when the group rebalances or the consumer restarts (a partition
 * may have been applied by another member meanwhile). Only this member writes a partition's
 * position while it holds the partition, so within an assignment the remembered one is the stored one.
 */
export class KnownPositions {
  private readonly next = new Map<string, bigint>();

  get(topic: string, partition: number): bigint | undefined {
    return this.next.get(`${topic}\u0000${partition}`);
  }

  set(topic: string, partition: number, next: bigint): void {
    this.next.set(`${topic}\u0000${partition}`, next);
  }

  /** After a committed transaction that applied up to `lastOffset`: the position never moves back. */
  applied(topic: string, partition: number, lastOffset: string): void {
    const key = `${topic}\u0000${partition}`;
    const next = BigInt(lastOffset) + 1n;
    const known = this.next.get(key);
    if (known !== undefined && known < next) this.next.set(key, next);
  }

  forget(topic: string, partition: number): void {
    this.next.delete(`${topic}\u0000${partition}`);
  }

  clear(): void {
    this.next.clear();
  }
}

async function readPosition(
  checkpointer: Pick<Checkpointer<unknown>, 'read'>,
  { group, topic, partition }: { group: string; topic: string; partition: number },
): Promise<string | undefined> {
  try {
    return await checkpointer.read(group, topic, partition);
  } catch (err) {
    if (err instanceof TributaryError) throw err;
    throw new DependencyError(
      'OFFSET_STORE_FAILED',
      `read position of ${topic}[${partition}]: ${errorMessage(err)}`,
      {
        cause: err,
        details: { group, topic, partition },
      },
    );
  }
}
