import type { IHeaders, Message, TopicMessages } from 'kafkajs';
import type { SchemaCodec } from './codec';
import type { ContractLike } from './contract';

/** One record to publish: its contract names the topic and validates the value. */
export interface OutgoingRecord<T = unknown> {
  contract: ContractLike<T>;
  key: string;
  value: T;
  headers?: Record<string, string>;
}

/**
 * Encodes every record (all or nothing: the first invalid value throws ValidationError before
 * anything is sent) and groups them by topic, keeping their order within a topic.
 */
export async function encodeRecords(
  codec: SchemaCodec,
  records: readonly OutgoingRecord[],
): Promise<TopicMessages[]> {
  const encoded = await Promise.all(
    records.map(async (record): Promise<[string, Message]> => {
      const value = await codec.encode(record.contract, record.value);
      const message: Message = { key: record.key, value };
      if (record.headers) message.headers = { ...record.headers };
      return [record.contract.topic, message];
    }),
  );
  const byTopic = new Map<string, Message[]>();
  for (const [topic, message] of encoded) {
    const list = byTopic.get(topic);
    if (list) list.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export function countMessages(topicMessages: readonly TopicMessages[]): Map<string, number> {
  return new Map(topicMessages.map((t) => [t.topic, t.messages.length]));
}

/** kafkajs headers as strings (UTF-8; a repeated header keeps its last value). */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    out[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return out;
}
