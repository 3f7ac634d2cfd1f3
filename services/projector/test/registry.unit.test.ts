import { entityTopics, TOPICS } from '@tributary/contracts';
import { projectionsByTopic } from '../src/projections/project-batches';
import { PROJECTIONS, projectedTopics } from '../src/projections';

describe('the projection registry', () => {
  it('when asked for its topics, then they are those the projector has always read, in the same order', () => {
    expect(projectedTopics()).toEqual([
      TOPICS.syncEvents,
      ...entityTopics().map((t) => t.topic),
      TOPICS.curagenesisWebhooks,
    ]);
  });

  it('when the dispatch table is built, then every topic has exactly one projection', () => {
    const byTopic = projectionsByTopic(PROJECTIONS);
    expect(byTopic.size).toBe(projectedTopics().length);
    expect(byTopic.get(TOPICS.repcardCustomers)?.name).toBe('repcard');
    expect(byTopic.get(TOPICS.curagenesisOrders)?.name).toBe('curagenesis');
    expect(byTopic.get(TOPICS.curagenesisWebhooks)?.name).toBe('curagenesis-webhooks');
    expect(byTopic.get(TOPICS.syncEvents)?.name).toBe('sync-log');
  });

  it('when two projections claim one topic, then the registry refuses to build', () => {
    expect(() => projectionsByTopic([...PROJECTIONS, PROJECTIONS[1]!])).toThrow(
      expect.objectContaining({ code: 'PROJECTION_REGISTRY_INVALID' }),
    );
  });
});
