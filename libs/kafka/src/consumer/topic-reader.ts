import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { errorMessage } from '@tributary/core';

export interface TopicReaderOptions<T> {
  kafka: Kafka;
  topic: string;
  /** The reader's group is `<groupPrefix>-<uuid>`: a fresh group of its own, nothing committed. */
  groupPrefix: string;
  /** From the topic's first record, or only what is published from now on. */
  fromBeginning: boolean;
  decode(value: Buffer): Promise<T>;
  /** Each decoded record, in order per partition. */
  onRecord(value: T, at: { partition: number; offset: string }): void;
  /** A record that could not be decoded: skipped (nothing is committed, nothing to dead-letter). */
  onUndecodable(message: string, at: { partition: number; offset: string }): void;
  /** After each batch of a partition, with the batch's last offset. */
  onBatchEnd?(partition: number, lastOffset: string): void;
}

export interface TopicReader {
  /** Settles when the reader stops (rejects if kafkajs gave up on it). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads a topic beside a service's consumers, in a fresh group of its own that commits nothing
 * (every replica reads every record): the ingests' cancel watcher and command look-ahead. Only
 * committed records (read_committed).
 */
export async function readTopic<T>(o: TopicReaderOptions<T>): Promise<TopicReader> {
  const consumer = o.kafka.consumer({
    groupId: `${o.groupPrefix}-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 250,
  });
  let stopped = false;
  const done = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) reject(e.payload.error);
    });
    consumer.on(consumer.events.STOP, () => {
      if (stopped) resolve();
    });
  });
  done.catch(() => undefined); // the caller awaits it
  await consumer.connect();
  await consumer.subscribe({ topic: o.topic, fromBeginning: o.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        if (!m.value) continue;
        const at = { partition: batch.partition, offset: m.offset };
        let value: T;
        try {
          value = await o.decode(m.value);
        } catch (err) {
          o.onUndecodable(errorMessage(err), at);
          continue;
        }
        o.onRecord(value, at);
      }
      o.onBatchEnd?.(batch.partition, batch.lastOffset());
    },
  });
  return {
    done,
    async stop() {
      stopped = true;
      await consumer.disconnect();
    },
  };
}
