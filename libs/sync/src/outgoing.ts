import {
  checkpointKey,
  CheckpointContract,
  RecordObservedContract,
  SyncEventContract,
  type Checkpoint,
  type EntityEvent,
  type RecordObserved,
  type SyncEvent,
} from '@tributary/contracts';
import type { OutgoingRecord } from '@tributary/kafka';

/**
 * Publishes records atomically: one Kafka transaction per call (the TransactionalPublisher of
 * `@tributary/kafka` is one; the unit tests use an in-memory one).
 */
export interface AtomicPublisher {
  publishAtomically(records: readonly OutgoingRecord[]): Promise<void>;
}

/*
 * The three kinds of record an ingest writes, each with its contract resolved here, once: the
 * publisher encodes them as they are (no topic name is looked up again on the way to Kafka).
 */

/** A lifecycle event on `sync.events`, keyed by its syncId. */
export function syncEventRecord(event: SyncEvent): OutgoingRecord<SyncEvent> {
  return { contract: SyncEventContract, key: event.syncId, value: event };
}

/** Where an entity stands, on the compacted `sync.checkpoints`, keyed by `source/entity`. */
export function checkpointRecord(checkpoint: Checkpoint): OutgoingRecord<Checkpoint> {
  return {
    contract: CheckpointContract,
    key: checkpointKey(checkpoint.source, checkpoint.entity),
    value: checkpoint,
  };
}

/** One observed record on its entity topic, keyed by its source id. */
export function observedRecord(topic: string, value: RecordObserved): OutgoingRecord<EntityEvent> {
  return { contract: RecordObservedContract(topic), key: value.id, value };
}
