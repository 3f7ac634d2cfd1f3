/**
 * The shapes that travel through the consumer runtime's steps (skip-applied → decode → handle →
 * dead-letter → checkpoint). Pure types: no kafkajs, no database driver.
 */

/** A record read and decoded by its topic's contract. */
export interface DecodedMessage<T = unknown> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: T;
  headers: Record<string, string>;
  /** Record timestamp, epoch milliseconds as kafkajs gives it. */
  timestamp: string;
  /**
   * True when the value's bytes hold no `\u` (holdsNoUnicodeEscape): none of its strings holds a NUL
   * or a lone surrogate, so a consumer that must replace those can skip looking.
   */
  noUnicodeEscapes?: boolean;
}

/** Consecutive records of one partition, in offset order. */
export interface DecodedBatch<T = unknown> {
  topic: string;
  partition: number;
  messages: DecodedMessage<T>[];
}

/**
 * One record a handler could never apply: its offset (in the batch it was given) and the error,
 * a real Error (a TributaryError keeps its `code`, which becomes the DLQ's `x-dlq-error-code`).
 */
export interface RecordFailure {
  offset: string;
  error: Error;
}

/** What a handler reports for one batch: the records to dead-letter. Anything else was applied. */
export interface BatchOutcome {
  failures: readonly RecordFailure[];
}

export interface BatchContext {
  /** Tells the group this member is alive (also sent in the background while the handler runs). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: a long handler may end early by throwing a retriable error. */
  isRunning(): boolean;
  /**
   * Backpressure: stops fetching this partition (the batch in hand still completes or fails as
   * usual); resumes after `resumeAfterMs` when given, or when the returned function is called.
   */
  pause(resumeAfterMs?: number): () => void;
}

/** Where a partition stands: the next offset to apply. */
export interface Position {
  topic: string;
  partition: number;
  next: string;
}

/**
 * Where a consumer that applies its records in its own transactions keeps its progress (emmett's
 * checkpoint): `store` is called inside the handler's transaction, with the rows; `read` says where
 * a partition stands, so that records an earlier run applied are skipped. `Tx` is the handler's
 * transaction (e.g. a pg PoolClient): this library never sees a driver.
 */
export interface Checkpointer<Tx> {
  /** The next offset to apply for this group and partition, or undefined when none is stored. */
  read(group: string, topic: string, partition: number): Promise<string | undefined>;
  /** Stores the positions in `tx`; a position never moves back. */
  store(tx: Tx, group: string, positions: readonly Position[]): Promise<void>;
}
