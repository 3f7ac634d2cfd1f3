import type { ConnectionOptions } from 'node:tls';
import {
  Kafka,
  logLevel,
  Partitioners,
  type LogEntry,
  type Producer,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';
import { LogEvents, type LogEventName } from '@tributary/observability';
import { hideKafkajsTimeoutWarning } from './timeout-warning';

/**
 * The logger this library writes to: `@tributary/observability`'s Logger fits (only the four
 * level methods are used), and so does any object with the same shape.
 */
export interface KafkaLogger {
  debug(event: LogEventName, msg: string, fields?: Record<string, unknown>): void;
  info(event: LogEventName, msg: string, fields?: Record<string, unknown>): void;
  warn(event: LogEventName, msg: string, fields?: Record<string, unknown>): void;
  error(event: LogEventName, msg: string, fields?: Record<string, unknown>): void;
}

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface CreateKafkaOptions {
  brokers: string[];
  clientId: string;
  /** Where kafkajs' own log lines go. Without one, kafkajs is silent. */
  logger?: KafkaLogger;
  /** The lowest kafkajs level passed to `logger` (default 'error'; ignored without a logger). */
  logLevel?: KafkaLogLevel;
  /** Broker connection timeout, ms (kafkajs default 1000). */
  connectionTimeout?: number;
  /** Request timeout, ms (kafkajs default 30000). */
  requestTimeout?: number;
  /** kafkajs retry options for admin, producers and consumers made from this client. */
  retry?: RetryOptions;
  /** TLS to the brokers: `true` (system CAs) or Node's TLS options (CA, client certificate); see kafkaSecurity. */
  ssl?: ConnectionOptions | boolean;
  /** SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER); see kafkaSecurity. */
  sasl?: SASLOptions;
}

const LEVELS: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

const CONSUMER_NAMESPACES = new Set(['Consumer', 'Runner', 'ConsumerGroup', 'OffsetManager', 'FetchManager']);

/**
 * The catalog event a kafkajs line is written under. kafkajs logs mostly broker connection trouble
 * and consumer crashes; consumer lines go under `kafka.consumer.failed`, the rest under
 * `kafka.disconnected` (at info/debug level everything is `kafka.connected`, as chatter).
 */
export function kafkajsLogEvent(namespace: string, level: logLevel): LogEventName {
  if (level > logLevel.WARN) return LogEvents.kafkaConnected;
  return CONSUMER_NAMESPACES.has(namespace) ? LogEvents.kafkaConsumerFailed : LogEvents.kafkaDisconnected;
}

/**
 * CONCURRENT_TRANSACTIONS: the broker's answer to a transaction's first send while the markers of
 * the previous commit are still being written. Routine for back-to-back transactions and retried at
 * once (TRANSACTIONAL_RETRY); kafkajs logs it as an error, which would alarm for nothing. Likewise
 * its warning about the bounded retries of transactional producers.
 */
function isRoutineRetry(message: string, extra: Record<string, unknown>): boolean {
  const text = `${message} ${typeof extra.error === 'string' ? extra.error : ''}`;
  return (
    text.includes('another concurrent operation on the same transaction') ||
    // Said of every transactional producer with bounded retries: see TRANSACTIONAL_RETRY.
    text.includes('Limiting retries for the idempotent producer') ||
    // A CreateTopics answer naming a topic another service created first: ensureTopics tolerates
    // the race and throws any other refusal with its own message (topics.ts).
    (message.startsWith('Response CreateTopics') && text.includes('Topic creation errors'))
  );
}

/** kafkajs `logCreator` writing to a KafkaLogger. */
export function kafkajsLogCreator(logger: KafkaLogger) {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const {
        message,
        timestamp: _timestamp,
        logger: _name,
        ...extra
      } = log as LogEntry['log'] & { logger?: string };
      const fields = { kafkajs: namespace, ...extra };
      const event = kafkajsLogEvent(namespace, level);
      const msg = `kafkajs ${namespace}: ${message}`;
      if (isRoutineRetry(message, extra)) logger.debug(event, msg, fields);
      else if (level === logLevel.ERROR) logger.error(event, msg, fields);
      else if (level === logLevel.WARN) logger.warn(event, msg, fields);
      else if (level === logLevel.INFO) logger.info(event, msg, fields);
      else logger.debug(event, msg, fields);
    };
}

/**
 * A kafkajs client. Nothing connects here: admin, producers and consumers connect when they are
 * started (and are closed by whoever started them).
 */
export function createKafka(options: CreateKafkaOptions): Kafka {
  hideKafkajsTimeoutWarning();
  const { brokers, clientId, logger, connectionTimeout, requestTimeout, retry, ssl, sasl } = options;
  return new Kafka({
    clientId,
    brokers,
    logLevel: logger ? LEVELS[options.logLevel ?? 'error'] : logLevel.NOTHING,
    ...(logger ? { logCreator: kafkajsLogCreator(logger) } : {}),
    ...(connectionTimeout !== undefined ? { connectionTimeout } : {}),
    ...(requestTimeout !== undefined ? { requestTimeout } : {}),
    ...(retry !== undefined ? { retry } : {}),
    ...(ssl !== undefined && ssl !== false ? { ssl } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
  });
}

export type { Kafka, Producer } from 'kafkajs';

/**
 * A plain (non-transactional) producer with Kafka's default partitioner and no topic auto-creation:
 * for tools that write raw bytes another system reads (the benchmark's Kafka Connect peer).
 */
export function createPlainProducer(kafka: Kafka): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
