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
): Promise<KafkaMessage[]> {
  if (!checkpointer) return messages;
  const next = await readPosition(checkpointer, where);
  if (next === undefined) return messages;
  const from = BigInt(next);
  return messages.filter((m) => BigInt(m.offset) >= from);
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
