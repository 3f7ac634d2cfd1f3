import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { TOPICS, type Source, type SyncRequested } from '@tributary/contracts';
import { errorMessage } from '@tributary/core';
import type { Logger } from '@tributary/observability';

export interface CommandLookaheadOptions {
  kafka: Kafka;
  source: Source;
  decode(value: Buffer): Promise<SyncRequested>;
  /** Every command of `source` published from now on, as soon as it is committed. */
  onCommand(command: SyncRequested): void;
  logger: Logger;
}

export interface CommandLookahead {
  /** Settles when the reader stops (rejects if kafkajs gave up on it). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads `sync.commands` from its end, beside the command consumer (ADR 0026): the consumer takes
 * commands one at a time and commits each only after its run, so a "Sync Now" published while a
 * backfill runs would wait behind it. This reader sees it at once; the command handler decides
 * whether to start it early (`SyncCommandHandler.offer`). A fresh group of its own, nothing
 * committed; an unreadable command is skipped here (the command consumer dead-letters it).
 */
export async function watchCommandsAhead(o: CommandLookaheadOptions): Promise<CommandLookahead> {
  const topic = TOPICS.syncCommands;
  const consumer = o.kafka.consumer({
    groupId: `command-lookahead-${o.source}-${randomUUID()}`,
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
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        if (!m.value) continue;
        let command: SyncRequested;
        try {
          command = await o.decode(m.value);
        } catch (err) {
          o.logger.debug(
            'kafka.consumer.failed',
            `${topic}: look-ahead skipped a command: ${errorMessage(err)}`,
          );
          continue;
        }
        if (command.source === o.source) o.onCommand(command);
      }
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
