import { DependencyError, TributaryError, errorMessage, type ErrorCode } from '@tributary/core';

/** kafkajs error `type`s after which a transactional producer can never succeed again. */
const FENCED_TYPES = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);

/** Broker answers that no retry can change (the request itself is wrong or forbidden). */
const REJECTED_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_CONFIG',
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'POLICY_VIOLATION',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
]);

/** The kafkajs error `type` (broker error name) of `err` or of one of its causes. */
export function kafkaErrorType(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    const type = (e as Error & { type?: unknown }).type;
    if (typeof type === 'string') return type;
    e = (e as Error & { originalError?: unknown }).originalError ?? e.cause;
  }
  return undefined;
}

export function isFencedError(err: unknown): boolean {
  const type = kafkaErrorType(err);
  return type !== undefined && FENCED_TYPES.has(type);
}

/**
 * A broker failure as a TributaryError: a TributaryError passes through unchanged, a fenced
 * producer is final (`KAFKA_PRODUCER_FENCED`, not retriable), a request the broker refuses for
 * good (too large, invalid config, not authorized) is `KAFKA_REQUEST_REJECTED` (not retriable),
 * anything else is a retriable DependencyError with `code`.
 */
export function toKafkaError(
  code: ErrorCode,
  what: string,
  err: unknown,
  details: Record<string, unknown> = {},
) {
  if (err instanceof TributaryError) return err;
  const type = kafkaErrorType(err);
  if (isFencedError(err)) {
    return new TributaryError(
      'KAFKA_PRODUCER_FENCED',
      `${what}: producer fenced (${type}): ${errorMessage(err)}`,
      {
        retriable: false,
        cause: err,
        details: { ...details, kafkaErrorType: type },
      },
    );
  }
  if (type !== undefined && REJECTED_TYPES.has(type)) {
    return new TributaryError(
      'KAFKA_REQUEST_REJECTED',
      `${what}: rejected by the broker (${type}): ${errorMessage(err)}`,
      {
        retriable: false,
        cause: err,
        details: { ...details, kafkaErrorType: type },
      },
    );
  }
  return new DependencyError(code, `${what}: ${errorMessage(err)}`, {
    cause: err,
    details: type === undefined ? details : { ...details, kafkaErrorType: type },
  });
}
