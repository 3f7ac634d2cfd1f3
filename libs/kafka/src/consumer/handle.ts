import { TributaryError, errorMessage, isRetriable } from '@tributary/core';
import { LogEvents } from '@tributary/observability';
import type { KafkaLogger } from '../client';

export interface HandleStepOptions {
  groupId: string;
  heartbeatIntervalMs: number;
  logger?: KafkaLogger;
  onFatal(error: TributaryError): void;
  fatal(): TributaryError | undefined;
}

/**
 * Step 3, handle: runs the handler (and what it does before its commit: dead letters, the
 * checkpoint) with a heartbeat in the background. A retriable error is rethrown, so kafkajs retries
 * the batch (not committed); anything else stops the consumer with a non-retriable error (a
 * non-TributaryError wrapped as CONSUMER_HANDLER_FAILED, its `cause`).
 */
export async function runHandleStep(
  options: HandleStepOptions,
  heartbeat: () => Promise<void>,
  where: Record<string, unknown>,
  handle: () => Promise<void>,
): Promise<void> {
  const timer = setInterval(() => heartbeat().catch(() => undefined), options.heartbeatIntervalMs);
  timer.unref();
  try {
    await handle();
  } catch (err) {
    throw handlerFailure(options, err, where);
  } finally {
    clearInterval(timer);
  }
}

function handlerFailure(options: HandleStepOptions, err: unknown, where: Record<string, unknown>): unknown {
  const fields = { ...where, groupId: options.groupId, err };
  const fatal = options.fatal();
  if (fatal !== undefined) return fatal;
  if (isRetriable(err)) {
    options.logger?.warn(LogEvents.kafkaConsumerFailed, `batch failed, will retry: ${errorMessage(err)}`, {
      ...fields,
      retry: true,
    });
    return err;
  }
  options.logger?.error(LogEvents.kafkaConsumerFailed, `batch failed, consumer stops: ${errorMessage(err)}`, {
    ...fields,
    retry: false,
  });
  // kafkajs retries any error not marked `retriable: false`: make sure this one is.
  const error =
    err instanceof TributaryError && !err.retriable
      ? err
      : new TributaryError('CONSUMER_HANDLER_FAILED', `handleBatch failed: ${errorMessage(err)}`, {
          cause: err,
          details: where,
        });
  options.onFatal(error);
  return error;
}
