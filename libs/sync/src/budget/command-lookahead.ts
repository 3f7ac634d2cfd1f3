import { TOPICS, type Source, type SyncRequested } from '@tributary/contracts';
import { readTopic, type Kafka } from '@tributary/kafka';
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
export function watchCommandsAhead(o: CommandLookaheadOptions): Promise<CommandLookahead> {
  return readTopic({
    kafka: o.kafka,
    topic: TOPICS.syncCommands,
    groupPrefix: `command-lookahead-${o.source}`,
    fromBeginning: false,
    decode: o.decode,
    onRecord: (command) => {
      if (command.source === o.source) o.onCommand(command);
    },
    onUndecodable: (message) =>
      o.logger.debug(
        'kafka.consumer.failed',
        `${TOPICS.syncCommands}: look-ahead skipped a command: ${message}`,
      ),
  });
}
