/**
 * The parts of `@tributary/contracts` this library needs, declared structurally so that it depends
 * on no particular contract module: a `Contract<T>` or a `TopicSpec` from there fits these types.
 */

/** What is written to one topic: how to register its schema and how to read a value back. */
export interface ContractLike<T = unknown> {
  topic: string;
  /** Schema registry subject (TopicNameStrategy: `${topic}-value`). */
  subject: string;
  /** Draft-07 JSON Schema registered under `subject`. */
  jsonSchema(): Record<string, unknown>;
  /** Upcasts older versions, then validates; throws ValidationError on a bad value. */
  decode(value: unknown): T;
}

/** How a topic is created (a `TopicSpec` of `@tributary/contracts` fits). */
export interface TopicSpecLike {
  name: string;
  partitions: number;
  compacted: boolean;
  /** `retention.ms`; -1 keeps records forever. Broker default when absent. */
  retentionMs?: number;
}
