import type { KafkaMessage } from 'kafkajs';
import { isRetriable } from '@tributary/core';
import { NOT_YET, type SchemaCodec } from '../codec';
import type { ContractLike } from '../contract';
import type { DeadLetterEntry, RawRecord } from '../dlq';
import { headersToStrings } from '../records';
import { holdsNoUnicodeEscape } from '../wire-format';
import type { DecodedBatch, DecodedMessage } from './types';

/** A fetched batch after skip-applied and decode, on its way to the handler. */
export interface PartitionWork<T> {
  /** The decoded records (what the handler sees). */
  batch: DecodedBatch<T>;
  /** Every record not skipped, original bytes, by offset in offset order (dead letters are written from these). */
  raws: ReadonlyMap<string, RawRecord>;
  /** The records that can never be decoded: dead letters of reason `decode`. */
  decodeFailures: DeadLetterEntry[];
}

/**
 * Step 2, decode: each value by its topic's contract. What can never be decoded becomes a dead
 * letter (never shown to the handler); a retriable error (a registry outage) is thrown, so the
 * batch is retried.
 */
export async function decodeBatch<T>(
  codec: Pick<SchemaCodec, 'decode' | 'decodeKnown'>,
  contract: ContractLike<T>,
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
): Promise<PartitionWork<T>> {
  const decoded: DecodedMessage<T>[] = [];
  const decodeFailures: DeadLetterEntry[] = [];
  const raws = new Map<string, RawRecord>();
  for (const m of messages) {
    const record: RawRecord = {
      topic,
      partition,
      offset: m.offset,
      key: m.key,
      value: m.value,
      headers: m.headers,
    };
    raws.set(m.offset, record);
    try {
      // Without a wait when the schema id is known (every record but a topic's first, as a rule).
      let value = codec.decodeKnown(m.value, contract);
      if (value === NOT_YET) value = await codec.decode(m.value, contract);
      decoded.push({
        topic,
        partition,
        offset: m.offset,
        key: m.key === null ? null : m.key.toString('utf8'),
        value,
        headers: headersToStrings(m.headers),
        timestamp: m.timestamp,
        noUnicodeEscapes: holdsNoUnicodeEscape(m.value),
      });
    } catch (err) {
      if (isRetriable(err)) throw err;
      decodeFailures.push({ record, error: err, reason: 'decode' });
    }
  }
  return { batch: { topic, partition, messages: decoded }, raws, decodeFailures };
}
