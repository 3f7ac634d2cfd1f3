import type { KafkaMessage } from 'kafkajs';
import { TributaryError, ValidationError } from '@tributary/core';
import { DLQ_HEADERS, deadLetterMessage, dlqTopicOf, errorCodeOf } from '../src/dlq';
import { replayMessage } from '../src/dlq-replay';
import { headersToStrings } from '../src/records';

const record = {
  topic: 'repcard.users.v1',
  partition: 2,
  offset: '41',
  key: Buffer.from('user-1'),
  value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
  headers: { traceparent: Buffer.from('00-abc-01') },
};

describe('dead letters', () => {
  it('when a record is dead-lettered, then its original bytes and headers are kept and the x-dlq-* headers added', () => {
    const failedAt = new Date('2026-11-21T10:00:00.000Z');
    const message = deadLetterMessage(record, new ValidationError('bad value'), 'projector', failedAt);
    expect(message.key).toBe(record.key);
    expect(message.value).toBe(record.value);
    expect(headersToStrings(message.headers)).toEqual({
      traceparent: '00-abc-01',
      [DLQ_HEADERS.error]: 'bad value',
      [DLQ_HEADERS.errorCode]: 'VALIDATION_FAILED',
      [DLQ_HEADERS.originTopic]: 'repcard.users.v1',
      [DLQ_HEADERS.originPartition]: '2',
      [DLQ_HEADERS.originOffset]: '41',
      [DLQ_HEADERS.consumerGroup]: 'projector',
      [DLQ_HEADERS.failedAt]: '2026-11-21T10:00:00.000Z',
    });
  });

  it('when the error message is huge, then the header is truncated', () => {
    const message = deadLetterMessage(record, new Error('x'.repeat(10_000)), 'g', new Date());
    expect(String(message.headers?.[DLQ_HEADERS.error]).length).toBeLessThan(2100);
  });

  it('when errors of several kinds are dead-lettered, then the code header names each', () => {
    expect(errorCodeOf(new TributaryError('PROJECTION_FAILED', 'x'))).toBe('PROJECTION_FAILED');
    expect(errorCodeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorCodeOf('a string')).toBe('UNKNOWN');
  });

  it('when the DLQ topic of a topic is asked for, then it is `<topic>.dlq`', () => {
    expect(dlqTopicOf('sync.events.v1')).toBe('sync.events.v1.dlq');
  });

  it('when a dead letter is replayed, then x-dlq-* headers are dropped and x-dlq-replayed-from is set', () => {
    const dead = deadLetterMessage(record, new Error('boom'), 'g', new Date());
    const replayed = replayMessage(
      {
        ...dead,
        key: record.key,
        value: record.value,
        offset: '7',
        timestamp: '0',
        attributes: 0,
        headers: dead.headers,
      } as KafkaMessage,
      'repcard.users.v1.dlq',
      0,
    );
    expect(replayed.value).toBe(record.value);
    expect(replayed.key).toBe(record.key);
    expect(headersToStrings(replayed.headers)).toEqual({
      traceparent: '00-abc-01',
      [DLQ_HEADERS.replayedFrom]: 'repcard.users.v1.dlq:0:7',
    });
  });

  it('when headers repeat or are buffers, then headersToStrings keeps the last value as text', () => {
    expect(headersToStrings({ a: [Buffer.from('1'), Buffer.from('2')], b: 'x', c: undefined })).toEqual({
      a: '2',
      b: 'x',
    });
  });
});
