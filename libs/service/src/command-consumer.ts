import type { Kafka } from 'kafkajs';
import { contractFor, TOPICS, type Source, type SyncRequested } from '@tributary/contracts';
import { runBatchConsumer, type SchemaCodec } from '@tributary/kafka';
import type { Logger, Metrics } from '@tributary/observability';
import { failService } from './fail';
import { startNewGroupAtEnd } from './platform';

export interface CommandConsumerOptions {
  kafka: Kafka;
  codec: SchemaCodec;
  groupId: string;
  source: Source;
  sessionTimeoutMs: number;
  logger: Logger;
  metrics: Metrics;
  /** Runs one command to its end; its offset is committed only afterwards (a crash redelivers it). */
  handle(command: SyncRequested): Promise<void>;
}

/**
 * The sync-command consumer of an ingest service: commands for `source`, one at a time. A new group
 * starts at the end of the topic; an existing one resumes at its committed offsets. If the consumer
 * stops on its own error, the service stops and exits 1 (`failService`) rather than idle silently.
 * `done` is the consumer's (for readiness: `kafkaReadiness({ consumers })`).
 */
export async function runCommandConsumer(
  o: CommandConsumerOptions,
): Promise<{ stop(): Promise<void>; done: Promise<void> }> {
  await startNewGroupAtEnd(o.kafka, o.groupId, TOPICS.syncCommands);
  const consumer = await runBatchConsumer<SyncRequested>({
    kafka: o.kafka,
    groupId: o.groupId,
    topics: [TOPICS.syncCommands],
    codec: o.codec,
    contractFor: contractFor as never,
    fromBeginning: true,
    maxWaitTimeInMs: 250,
    sessionTimeout: o.sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, Math.floor(o.sessionTimeoutMs / 5)),
    logger: o.logger,
    metrics: o.metrics,
    async handleBatch(batch) {
      for (const m of batch.messages) {
        const c = m.value;
        if (c.source !== o.source) continue;
        o.logger.info(
          'sync.requested',
          `${o.source} ${c.mode} sync ${c.syncId} (${c.trigger} by ${c.requestedBy}${c.force ? ', forced' : ''})`,
          {
            syncId: c.syncId,
          },
        );
        await o.handle(c);
      }
    },
  });
  let stopping = false;
  const fail = failService(o.logger, 'command consumer stopped');
  consumer.done.catch((err: unknown) => {
    if (stopping) return;
    o.logger.error('kafka.consumer.failed', `command consumer stopped: ${(err as Error).message}`, {
      error: err,
    });
    fail(err);
  });
  return {
    done: consumer.done,
    async stop() {
      stopping = true;
      await consumer.stop();
    },
  };
}
