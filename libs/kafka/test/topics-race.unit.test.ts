import { isTopicRace, topicRetryDelayMs } from '../src/topics';
import { brokerError } from './producer-fakes';

describe('topic provisioning races', () => {
  it.each(['TOPIC_ALREADY_EXISTS', 'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_CONTROLLER'])(
    'when the broker answers %s, then it is a race to retry',
    (type) => {
      expect(isTopicRace(brokerError(type))).toBe(true);
    },
  );

  it('when the message says the server does not host the partition, then it is a race', () => {
    expect(isTopicRace(new Error('This server does not host this topic-partition'))).toBe(true);
  });

  it('when an aggregate holds only races, then it is a race; with a real refusal it is not', () => {
    expect(
      isTopicRace(Object.assign(new Error('agg'), { errors: [brokerError('TOPIC_ALREADY_EXISTS')] })),
    ).toBe(true);
    expect(
      isTopicRace(
        Object.assign(new Error('agg'), {
          errors: [brokerError('TOPIC_ALREADY_EXISTS'), brokerError('INVALID_REPLICATION_FACTOR')],
        }),
      ),
    ).toBe(false);
    expect(isTopicRace(brokerError('POLICY_VIOLATION'))).toBe(false);
  });

  it('when retrying, then the delay doubles from 100 ms up to 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(topicRetryDelayMs)).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });
});
