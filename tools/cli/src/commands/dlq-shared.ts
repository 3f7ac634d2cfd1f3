import type { Command } from 'commander';
import type { Kafka } from '@tributary/kafka';
import { loadStackEnv } from '@tributary/config';
import {
  createKafka,
  dlqSizes,
  dlqTopicFor,
  listDlqTopics,
  SchemaCodec,
  type DeadLetter,
} from '@tributary/kafka';
import { CliExit, EXIT } from '../exit-codes';

/** What every `tributary dlq` subcommand shares: the `dlq` command, Kafka, options, 80-column lines. */

const ENV_HELP = 'run `npm run stack:up` first, or set KAFKA_BROKERS';

/** The `dlq` command, made by the first subcommand registered. */
export function dlqCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'dlq') ??
    program
      .command('dlq')
      .description('dead-letter queues: list, show, replay, purge; reset a DLQ limit')
      .configureHelp({ subcommandTerm: (cmd) => cmd.name() })
      .addHelpText('after', '\nA record in <topic>.dlq carries its error and origin in x-dlq-* headers.')
  );
}

export interface KafkaSession {
  kafka: Kafka;
  /** The registry codec, when SCHEMA_REGISTRY_URL is set (to decode values). */
  codec?: SchemaCodec;
}

/** Runs `fn` with a Kafka client (KAFKA_BROKERS, else `.stack/env`). */
export async function withKafka<R>(fn: (session: KafkaSession) => Promise<R>): Promise<R> {
  loadStackEnv();
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = process.env;
  if (!KAFKA_BROKERS) throw new CliExit(EXIT.usage, `Kafka is not configured: ${ENV_HELP}`);
  const kafka = createKafka({
    brokers: KAFKA_BROKERS.split(','),
    clientId: 'tributary-cli',
    retry: { initialRetryTime: 200, maxRetryTime: 2000, retries: 3 },
  });
  return fn({
    kafka,
    ...(SCHEMA_REGISTRY_URL ? { codec: new SchemaCodec({ url: SCHEMA_REGISTRY_URL }) } : {}),
  });
}

/**
 * The DLQ topics a command works on: `--topic` (origin or DLQ name; must exist), else every DLQ
 * topic that holds records (the empty ones are only counted).
 */
export async function dlqTopics(
  kafka: Kafka,
  topic: string | undefined,
): Promise<{ topics: string[]; empty: number }> {
  const all = await listDlqTopics(kafka);
  if (topic !== undefined) {
    const dlq = dlqTopicFor(topic);
    if (!all.includes(dlq)) throw new CliExit(EXIT.failed, `no DLQ topic ${dlq}`);
    return { topics: [dlq], empty: 0 };
  }
  const sizes = await dlqSizes(kafka, all);
  const topics = all.filter((t) => (sizes.get(t) ?? 0) > 0);
  return { topics, empty: all.length - topics.length };
}

const AGO = /^(\d+)([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since` / `--before`: an ISO date or time, or an age such as 30m, 6h, 2d. */
export function parseTime(value: string): Date {
  const ago = AGO.exec(value);
  if (ago) return new Date(Date.now() - Number(ago[1]) * UNIT_MS[ago[2] as keyof typeof UNIT_MS]);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new CliExit(
      EXIT.usage,
      `${value} is not a time: use 2025-03-01, 2025-03-01T10:00Z or an age (30m, 6h, 2d)`,
    );
  }
  return new Date(ms);
}

export function positiveCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new CliExit(EXIT.usage, `--limit: ${value} is not a whole number >= 1`);
  return n;
}

export const TIME_HELP = 'ISO time (2025-03-01T10:00Z) or age (30m, 6h, 2d)';

/** `s` cut to `width` columns, with … when cut. */
export function fit(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** `text` broken into lines of at most `width` columns, each after `indent`. */
export function wrap(text: string, width = 80, indent = ''): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    for (let i = 0; i === 0 || i < line.length; i += room) lines.push(`${indent}${line.slice(i, i + room)}`);
  }
  return lines;
}

/** `text` broken between words into lines of at most `width` columns (a longer word stays whole), each after `indent`. */
export function wordWrap(text: string, width = 80, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, indent + line];
}

/** `2025-03-01 10:22:11` (UTC). */
export function utc(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

/** A dead letter in two lines of at most 80 columns: where, when, code, origin; then its error. */
export function letterLines(l: DeadLetter): string[] {
  const origin = `from [${l.originPartition ?? '?'}]@${l.originOffset ?? '?'}`;
  const state = l.replayedAt ? ' replayed' : '';
  const head = `  ${`${l.partition}:${l.offset}`.padEnd(9)} ${utc(l.failedAt)}  ${fit(l.errorCode ?? '-', 22).padEnd(22)} ${origin}${state}`;
  return [fit(head, 80), `    ${fit((l.error ?? '').replace(/\s+/g, ' '), 76)}`];
}

/** The JSON form of a dead letter (key as text, value left out: `dlq show` has it). */
export function letterJson(l: DeadLetter): Record<string, unknown> {
  return {
    dlqTopic: l.dlqTopic,
    partition: l.partition,
    offset: l.offset,
    key: l.key?.toString() ?? null,
    originTopic: l.originTopic ?? null,
    originPartition: l.originPartition ?? null,
    originOffset: l.originOffset ?? null,
    errorCode: l.errorCode ?? null,
    error: l.error ?? null,
    consumerGroup: l.consumerGroup ?? null,
    failedAt: l.failedAt,
    replayedAt: l.replayedAt ?? null,
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
