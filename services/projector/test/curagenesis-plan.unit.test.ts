import { tallyBySync as tallyCuragenesis } from '../src/core/tally';
import { planCuragenesis } from '../src/projections/curagenesis/plan';
import { observed } from './observed';

const msg = (
  payload: Record<string, unknown>,
  observedAt: string,
  origin: { syncId?: string; deliveryId?: string } = {},
) => observed('curagenesis', 'practices', String(payload.practiceId), payload, { observedAt, ...origin });
const full = (id: string, state: string) => ({
  practiceId: id,
  userId: 'U',
  curaIntakeId: null,
  specialty: null,
  state,
  activatedAt: null,
  activatedAtIso: null,
  totalOrders: 0,
  salesRep: 'R',
});

describe('planCuragenesis', () => {
  it('when one id is polled twice in a batch, then the newest observation is written and the other counts as unchanged', () => {
    const plan = planCuragenesis('practices', [
      msg(full('P1', 'TX'), '2026-01-01T00:00:02Z'),
      msg(full('P1', 'CA'), '2026-01-01T00:00:01Z'),
    ]);
    expect(plan.runs).toHaveLength(1);
    expect(plan.runs[0]!.writes.map((w) => w.row.state)).toEqual(['TX']);
    expect(plan.superseded).toEqual([{ syncId: 's1' }]);
  });

  it('when polls and partial webhooks of one id interleave, then they are applied oldest first, each kind merging or replacing', () => {
    const plan = planCuragenesis('practices', [
      msg({ practiceId: 'P1', state: 'WA' }, '2026-01-01T00:00:03Z', { deliveryId: 'd2' }),
      msg(full('P1', 'TX'), '2026-01-01T00:00:02Z'),
      msg({ practiceId: 'P1', activatedAt: '2026-01-01T00:00:00Z' }, '2026-01-01T00:00:01Z', {
        deliveryId: 'd1',
      }),
    ]);
    expect(plan.runs.map((r) => [r.writes.map((w) => w.versionAt), r.mergeRawData])).toEqual([
      [['2026-01-01T00:00:01Z'], true],
      [['2026-01-01T00:00:02Z'], false],
      [['2026-01-01T00:00:03Z'], true],
    ]);
  });

  it('when a webhook is a practice.created (named in the payload or known from its delivery), then it only inserts', () => {
    const plan = planCuragenesis(
      'practices',
      [
        msg({ event: 'practice.created', data: { practiceId: 'P1', state: 'TX' } }, '2026-01-01T00:00:02Z', {
          deliveryId: 'd1',
        }),
        msg({ practiceId: 'P2', state: 'TX' }, '2026-01-01T00:00:02Z', { deliveryId: 'd2' }),
        msg({ practiceId: 'P3', state: 'TX' }, '2026-01-01T00:00:02Z', { deliveryId: 'd3' }),
      ],
      new Map([
        ['d2', 'practice.created'],
        ['d3', 'practice.updated'],
      ]),
    );
    const modes = Object.fromEntries(plan.runs.flatMap((r) => r.writes.map((w) => [w.key, w.insertOnly])));
    expect(modes).toEqual({ P1: true, P2: true, P3: false });
  });

  it('when outcomes are known, then each sync run is tallied: written by outcome, superseded unchanged, malformed failed', () => {
    const plan = planCuragenesis('practices', [
      msg(full('P1', 'TX'), '2026-01-01T00:00:01Z'),
      msg(full('P1', 'TX'), '2026-01-01T00:00:02Z'),
      msg({ ...full('P2', 'TX'), totalOrders: 'many' }, '2026-01-01T00:00:01Z'),
      msg({ practiceId: 'P3', state: 'NY' }, '2026-01-01T00:00:01Z', { deliveryId: 'd' }),
    ]);
    const outcomes = new Map(plan.runs.flatMap((r) => r.writes.map((w) => [w, 'inserted' as const])));
    expect(tallyCuragenesis(plan, outcomes)).toEqual(
      new Map([['s1', { inserted: 1, updated: 0, unchanged: 1, failed: 1 }]]),
    );
  });
});
