import { LogEvents } from '@tributary/observability';
import type { KafkaLogger } from '../client';

/**
 * Backpressure bookkeeping of one consumer (`ctx.pause`): pauses a partition, resumes it after a
 * delay or on demand, and lets `stop()` clear every pending resume timer.
 */
export class Pauses {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly groupId: string,
    private readonly isStopping: () => boolean,
    private readonly logger?: KafkaLogger,
  ) {}

  schedule(pause: () => () => void, resumeAfterMs: number | undefined, where: string): () => void {
    const { groupId, logger } = this;
    const resume = pause();
    logger?.info(LogEvents.kafkaConsumerPaused, `${where} paused`, {
      groupId,
      partition: where,
      resumeAfterMs,
    });
    let resumed = false;
    let timer: NodeJS.Timeout | undefined;
    const resumeOnce = (): void => {
      if (resumed) return;
      resumed = true;
      if (timer) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
      if (this.isStopping()) return;
      resume();
      logger?.info(LogEvents.kafkaConsumerResumed, `${where} resumed`, { groupId, partition: where });
    };
    if (resumeAfterMs !== undefined) {
      timer = setTimeout(resumeOnce, resumeAfterMs);
      this.timers.add(timer);
    }
    return resumeOnce;
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
