import type { Kafka } from 'kafkajs';
import { TributaryError } from '@tributary/core';
import {
  createKafka,
  deadLetterMessage,
  dlqTopicOf,
  DlqLimit,
  DlqLimitExceededError,
  ensureTopics,
  readDeadLetters,
  tripOf,
} from '@tributary/kafka';
import { uniqueName } from '@tributary/testkit';
import { pgDlqLimitStore } from '../../../services/projector/src/data-access/pg-dlq-limit-store';
import { cliDatabase, runCli } from './cli-harness';

/** `tributary dlq ...` against real topics of their own (and a database of its own for reset-limit). */
let kafka: Kafka;
const db = cliDatabase('cli_dlq');
let out = '';
let err = '';
const topic = uniqueName('cli-dlq');
const dlq = dlqTopicOf(topic);

async function run(...argv: string[]): Promise<number> {
  const res = await runCli(...argv);
  out = res.out;
  err = res.err;
  return res.code;
}

const lines = (): string[] => out.trimEnd().split('\n');
const json = <T>(): T => JSON.parse(out) as T;

async function origin(): Promise<string[]> {
  const { letters } = await readDeadLetters(kafka, topic); // reads any topic: here the origin's records
  return letters.map((l) => `${l.key?.toString()}|${l.headers['x-dlq-replayed-from'] ?? ''}`);
}

beforeAll(async () => {
  kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: uniqueName('cli-it') });
  await ensureTopics(
    kafka,
    [topic, dlq].map((name) => ({ name, partitions: 1, compacted: false })),
  );
  const record = (offset: string, key: string) => ({
    topic,
    partition: 0,
    offset,
    key: Buffer.from(key),
    value: Buffer.from(`{"v":"${key}"}`),
    headers: { trace: key },
  });
  const producer = kafka.producer();
  await producer.connect();
  const malformed = deadLetterMessage(
    record('10', 'k1'),
    new TributaryError('RECORD_MALFORMED', 'customers: id is missing'),
    'grp',
    new Date(),
  );
  const failed = deadLetterMessage(
    record('11', 'k2'),
    new TributaryError('PROJECTION_FAILED', 'parent missing'),
    'grp',
    new Date(),
  );
  const foreign = deadLetterMessage(
    { ...record('12', 'k3'), topic: 'someone.else' },
    new Error('x'),
    'grp',
    new Date(),
  );
  await producer.send({ topic: dlq, messages: [malformed, failed, foreign], acks: -1 });
  await producer.disconnect();
});

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, dlq], timeout: 10_000 }).catch(() => undefined);
  await admin.disconnect();
});

describe('tributary dlq on real topics', () => {
  it('when listed, then the topic shows its counts and each record its code, origin and error, within 80 columns', async () => {
    expect(await run('dlq', 'list', '--topic', topic)).toBe(0);
    const text = lines();
    expect(text[1]).toMatch(new RegExp(`^${dlq}\\s+3\\s+0$`));
    expect(text.join('\n')).toMatch(
      /0:0\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+RECORD_MALFORMED\s+from \[0\]@10\n\s+customers: id is missing/,
    );
    for (const line of text) expect(line.length).toBeLessThanOrEqual(80);
    expect(await run('dlq', 'list', '--topic', dlq, '--error-code', 'PROJECTION_FAILED', '--json')).toBe(0);
    const [listed] =
      json<
        { deadLetters: number; matching: number; records: { originOffset: string; errorCode: string }[] }[]
      >();
    expect(listed).toMatchObject({
      deadLetters: 3,
      matching: 1,
      records: [{ originOffset: '11', errorCode: 'PROJECTION_FAILED' }],
    });
  });

  it('when one record is shown, then its headers and decoded value are printed; a wrong address exits 1 or 2', async () => {
    expect(await run('dlq', 'show', topic, '0', '0')).toBe(0);
    const text = out;
    expect(text).toMatch(/x-dlq-error-code: RECORD_MALFORMED/);
    expect(text).toMatch(/x-dlq-origin-topic: /);
    expect(text).toMatch(/not decodable: [^]*\nvalue, as text:\n {2}\{"v":"k1"\}/);
    for (const line of lines()) expect(line.length).toBeLessThanOrEqual(80);
    expect(await run('dlq', 'show', topic, '0', '99')).toBe(1);
    expect(err).toMatch(/no dead letter at .*\[0\]@99/);
    expect(await run('dlq', 'show', topic, 'x', '0')).toBe(2);
    expect(await run('dlq', 'list', '--topic', 'no-such-topic')).toBe(1);
    expect(await run('dlq', 'replay', '--since', 'yesterday')).toBe(2);
  });

  it('when replayed with --dry-run, then it says what it would send and sends nothing', async () => {
    expect(await run('dlq', 'replay', '--topic', topic, '--dry-run')).toBe(0);
    expect(lines().slice(0, 2)).toEqual([
      dlq,
      '  would replay 2 to the origin topic, 0 replayed before, 1 left',
    ]);
    expect(lines()[2]).toMatch(/left 0:2: origin someone.else is not the topic of/);
    expect(lines()[3]).toMatch(/^ {2}0:0 .* RECORD_MALFORMED/);
    expect(await origin()).toEqual([]);
  });

  it('when replayed by filter, then again in full, then once more, then each record went back once and the second full replay re-sends nothing', async () => {
    expect(await run('dlq', 'replay', '--topic', topic, '--error-code', 'PROJECTION_FAILED')).toBe(0);
    expect(lines()[1]).toBe('  replayed 1 to the origin topic, 0 replayed before');
    expect(await origin()).toEqual([`k2|${dlq}:0:1`]);
    expect(await run('dlq', 'replay', '--topic', topic, '--json')).toBe(0);
    expect(json<{ replayed: number; alreadyReplayed: number }[]>()[0]).toMatchObject({
      replayed: 1,
      alreadyReplayed: 1,
    });
    expect(await run('dlq', 'replay', '--topic', topic)).toBe(0);
    expect(lines()[1]).toBe('  replayed 0 to the origin topic, 2 replayed before, 1 left');
    expect(await origin()).toEqual([`k2|${dlq}:0:1`, `k1|${dlq}:0:0`]);
    expect(await run('dlq', 'list', '--topic', topic)).toBe(0);
    expect(lines()[1]).toMatch(/\s3\s+2$/);
  });

  it('when purged without --yes, then nothing is deleted and it exits 2; with --yes the DLQ is empty', async () => {
    expect(await run('dlq', 'purge', '--topic', topic)).toBe(2);
    expect(out).toMatch(/would purge \d+ records, 1 of them dead letters never replayed/);
    expect(err).toMatch(/add --yes/);
    expect([await run('dlq', 'purge', '--topic', topic, '--before', '2000-01-01'), err]).toEqual([0, '']);
    expect(out).toMatch(/nothing to purge/);
    expect([await run('dlq', 'purge', '--topic', topic, '--yes'), err]).toEqual([0, '']);
    expect((await readDeadLetters(kafka, dlq)).letters).toEqual([]);
    expect(await run('dlq', 'list', '--topic', topic, '--json')).toBe(0);
    expect(json<{ deadLetters: number }[]>()[0]!.deadLetters).toBe(0);
  });

  it('when a tripped limit is reset, then its trip is cleared once; a second reset exits 1', async () => {
    const breach = new DlqLimit({ maxConsecutiveFailures: 2 }).recordAll([true, true, true])!;
    const group = uniqueName('cli-group');
    await pgDlqLimitStore(db.pool()).trip(
      tripOf(
        new DlqLimitExceededError(breach, { topic, partition: 0, groupId: group, offset: '5' }),
        new Date(),
      ),
    );
    expect(await run('dlq', 'reset-limit', '--group', group)).toBe(0);
    expect(out).toMatch(
      new RegExp(
        `cleared the DLQ limit of ${group}\\ntripped .* UTC on ${topic}\\[0\\]:\\n  DLQ limit tripped`,
      ),
    );
    for (const line of lines()) expect(line.length).toBeLessThanOrEqual(80);
    expect(await pgDlqLimitStore(db.pool()).tripped(group)).toBeUndefined();
    expect(await run('dlq', 'reset-limit', '--group', group)).toBe(1);
    expect(err).toMatch(/has no tripped DLQ limit/);
    expect(await run('dlq', 'reset-limit')).toBe(2);
  });
});
