import { TributaryError } from '@tributary/core';
import {
  CheckpointContract,
  RecordObservedContract,
  SyncEventContract,
  SyncRequestedContract,
  TOPICS,
  WebhookReceivedContract,
  allContracts,
  allTopicSpecs,
  contractFor,
  dlqTopic,
} from '@tributary/contracts';

describe('contract registry', () => {
  it('when asking for each fixed topic, then its typed contract is returned', () => {
    expect(contractFor(TOPICS.syncCommands)).toBe(SyncRequestedContract);
    expect(contractFor(TOPICS.syncEvents)).toBe(SyncEventContract);
    expect(contractFor(TOPICS.checkpoints)).toBe(CheckpointContract);
    expect(contractFor(TOPICS.curagenesisWebhooks)).toBe(WebhookReceivedContract);
    expect(contractFor(TOPICS.repcardUsers)).toBe(RecordObservedContract(TOPICS.repcardUsers));
  });

  it('when listing contracts, then every non-DLQ topic has exactly one', () => {
    const topics = allTopicSpecs()
      .filter((spec) => spec.kind !== 'dlq')
      .map((spec) => spec.name)
      .sort();
    expect(
      allContracts()
        .map((c) => c.topic)
        .sort(),
    ).toEqual(topics);
  });

  it('when reading a contract, then its subject is the topic name strategy', () => {
    expect(SyncRequestedContract.subject).toBe('sync.commands.v1-value');
    expect(RecordObservedContract(TOPICS.curagenesisOrders)).toMatchObject({
      subject: 'curagenesis.orders.v1-value',
      type: 'RecordObserved',
      version: 2,
    });
  });

  it('when asking for an unknown or DLQ topic, then it throws UNKNOWN_TOPIC', () => {
    for (const topic of ['nope.v1', dlqTopic(TOPICS.repcardUsers)]) {
      let caught: unknown;
      try {
        contractFor(topic);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(TributaryError);
      expect((caught as TributaryError).code).toBe('UNKNOWN_TOPIC');
    }
    expect(() => RecordObservedContract(TOPICS.syncEvents)).toThrow(/no contract/);
  });
});
