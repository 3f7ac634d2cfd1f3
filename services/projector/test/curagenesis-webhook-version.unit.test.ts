import { planCuragenesis } from '../src/projections/curagenesis/plan';
import { needsKnownDelivery, webhookVersion } from '../src/projections/curagenesis/webhook-version';
import { observed } from './observed';

/** As the gateway publishes a practice webhook: the record's fields, and the event kept under `webhook`. */
const gatewayPayload = (event: string, data: Record<string, unknown>) => ({
  ...data,
  webhook: { event, data },
});

describe('webhook observations: versions that never regress a row', () => {
  it('when the gateway keeps the event under payload.webhook, then practice.created is insert-only without its delivery being known', () => {
    const { value } = observed(
      'curagenesis',
      'practices',
      'P1',
      gatewayPayload('practice.created', { practiceId: 'P1' }),
      {
        observedAt: '2026-01-01T00:00:05Z',
        deliveryId: 'd-created',
      },
    );
    expect(webhookVersion(value, null, new Map())).toEqual({
      versionAt: '2026-01-01T00:00:05Z',
      insertOnly: true,
    });
  });

  it('when a delivery was first received earlier (a replay), then it is versioned by that first receipt', () => {
    const { value } = observed(
      'curagenesis',
      'practices',
      'P1',
      gatewayPayload('practice.updated', { practiceId: 'P1' }),
      {
        observedAt: '2026-03-01T00:00:00Z',
        deliveryId: 'd-old',
      },
    );
    const known = new Map([['d-old', { event: 'practice.updated', receivedAt: '2026-01-01T00:00:00.000Z' }]]);
    expect(webhookVersion(value, null, known)).toEqual({
      versionAt: '2026-01-01T00:00:00.000Z',
      insertOnly: false,
    });
  });

  it('when the payload has its own time, then that time is the version, replay or not', () => {
    const { value } = observed(
      'curagenesis',
      'practices',
      'P1',
      { practiceId: 'P1' },
      {
        observedAt: '2026-03-01T00:00:00Z',
        sourceUpdatedAt: '2026-02-01T00:00:00Z',
        deliveryId: 'd-timed',
      },
    );
    const known = new Map([
      ['d-timed', { event: 'practice.updated', receivedAt: '2026-01-01T00:00:00.000Z' }],
    ]);
    expect(webhookVersion(value, null, known).versionAt).toBe('2026-02-01T00:00:00Z');
  });

  it('when an old update is replayed in the batch of a newer one, then only the newer one is written', () => {
    const known = new Map([['d-1', { event: 'practice.updated', receivedAt: '2026-01-01T00:00:01.000Z' }]]);
    const plan = planCuragenesis(
      'practices',
      [
        observed(
          'curagenesis',
          'practices',
          'P1',
          gatewayPayload('practice.updated', { practiceId: 'P1', state: 'NY' }),
          {
            observedAt: '2026-01-01T00:00:02Z',
            deliveryId: 'd-2',
          },
        ),
        // the replay of d-1, received again much later
        observed(
          'curagenesis',
          'practices',
          'P1',
          gatewayPayload('practice.updated', { practiceId: 'P1', state: 'TX' }),
          {
            observedAt: '2026-02-01T00:00:00Z',
            deliveryId: 'd-1',
          },
        ),
      ],
      known,
    );
    const states = plan.runs.flatMap((r) => r.writes.map((w) => w.row.state));
    expect(states).toEqual(['NY']); // same columns, same id: the newer version wins the collapse
  });
});

describe('needsKnownDelivery: which webhook observations look up their delivery', () => {
  const orderPlaced = (sourceUpdatedAt: string | null, event: string | null) =>
    observed(
      'curagenesis',
      'orders',
      'O1',
      event === null ? { order_id: 'O1' } : gatewayPayload(event, { order_id: 'O1' }),
      { observedAt: '2026-01-01T00:00:05Z', sourceUpdatedAt, deliveryId: 'd-1' },
    ).value;
  const known = new Map([['d-1', { event: 'order.placed', receivedAt: '2026-01-01T00:00:01Z' }]]);

  it('when an observation carries its own time and names its event, then it needs no lookup, and is versioned the same without one', () => {
    const value = orderPlaced('2025-12-31T10:00:00Z', 'order.placed');
    expect(needsKnownDelivery(value)).toBe(false);
    expect(webhookVersion(value, null, new Map())).toEqual(webhookVersion(value, null, known));
  });

  it('when an observation lacks its own time, then it needs its delivery: a replay is as old as its first receipt', () => {
    const value = orderPlaced(null, 'order.placed');
    expect(needsKnownDelivery(value)).toBe(true);
    expect(webhookVersion(value, null, known).versionAt).toBe('2026-01-01T00:00:01Z');
    expect(webhookVersion(value, null, new Map()).versionAt).toBe('2026-01-01T00:00:05Z');
  });

  it('when an observation does not name its event, then it needs its delivery (the event decides insert-only)', () => {
    expect(needsKnownDelivery(orderPlaced('2025-12-31T10:00:00Z', null))).toBe(true);
  });

  it('when a record was polled, then it has no delivery to look up', () => {
    const { value } = observed(
      'curagenesis',
      'orders',
      'O2',
      { order_id: 'O2' },
      { observedAt: '2026-01-01T00:00:05Z' },
    );
    expect(needsKnownDelivery(value)).toBe(false);
  });
});
