import { createRepcardSimulator, HUGE_STRING_LENGTH } from '../../sim-repcard/src';
import { createCuragenesisSimulator, poisonRecord } from '../../sim-curagenesis/src';
import { makeStorable } from '../../../services/projector/src/core/storable';
import { whilePoisoned, poisonFaults, repcardPoison } from '../src/poison/repcard';

describe('poison served by the simulators', () => {
  it('when sim-repcard has a poison fault, then exactly those records are served poisoned, ids intact, and clearing it serves them clean', () => {
    const sim = createRepcardSimulator({ seed: 1, size: 600 });
    const list = repcardPoison(sim.dataset.count('customers'));
    sim.setFaults(poisonFaults(list));
    const served = (i: number) => sim.dataset.record('customers', i) as Record<string, unknown>;
    const byKind = new Map(
      list.filter((p) => p.entity === 'customers').map((p) => [p.kind, served(p.index)]),
    );
    expect(byKind.get('nul-text')!.address).toContain('\u0000');
    expect(Object.keys(byKind.get('nul-key')!)).toContain('note\u0000key');
    expect(String(byKind.get('lone-surrogate')!.address).endsWith('\ud800')).toBe(true);
    expect(byKind.get('out-of-range')!.statusId).toBe(1e20);
    expect(byKind.get('impossible-date')!.createdAt).toBe('2025-02-30 10:00:00');
    expect(String(byKind.get('huge-string')!.address).length).toBeGreaterThan(HUGE_STRING_LENGTH);
    for (const p of list)
      expect(sim.dataset.record(p.entity, p.index).id).toBe(sim.dataset.idOf(p.entity, p.index));
    expect(served(0)).toEqual(sim.dataset.cleanRecord('customers', 0));
    sim.setFaults({});
    for (const p of list)
      expect(sim.dataset.record(p.entity, p.index)).toEqual(sim.dataset.cleanRecord(p.entity, p.index));
  });

  it('when sim-repcard serves a poisoned record as JSON, then a lone surrogate travels as the escape \\ud800', () => {
    const sim = createRepcardSimulator({
      seed: 1,
      size: 600,
      faults: { poison: { customers: [{ index: 3, kind: 'lone-surrogate' }] } },
    });
    expect(JSON.stringify(sim.dataset.record('customers', 3))).toContain('\\ud800');
  });

  it('when the read model is expected while poisoned, then refused kinds are absent, dates unchecked and NUL made storable', () => {
    const sim = createRepcardSimulator({ seed: 1, size: 600 });
    const list = repcardPoison(sim.dataset.count('customers'));
    sim.setFaults(poisonFaults(list));
    const expect_ = whilePoisoned(list);
    const at = (kind: string) => list.find((p) => p.entity === 'customers' && p.kind === kind)!.index;
    const rec = (i: number) => sim.dataset.record('customers', i) as Record<string, unknown>;
    expect(expect_('customers', at('out-of-range'), rec(at('out-of-range')))).toBe('absent');
    expect(expect_('customers', at('impossible-date'), rec(at('impossible-date')))).toBe('unchecked');
    expect(expect_('customers', at('nul-text'), rec(at('nul-text')))).toEqual(
      makeStorable(rec(at('nul-text'))).value,
    );
    expect(expect_('customers', 0, rec(0))).toEqual(rec(0));
  });

  it('when a CuraGenesis practice is poisoned, then only the named field changes', () => {
    const sim = createCuragenesisSimulator({ seed: 2, practices: 5, orders: 10 });
    const practice = sim.dataset.practice(1);
    expect(poisonRecord('practice', practice, 'out-of-range')).toEqual({ ...practice, totalOrders: 1e20 });
    expect(poisonRecord('practice', practice, 'nul-text').specialty).toBe(
      `${practice.specialty}\u0000after-nul`,
    );
    expect(poisonRecord('order', sim.dataset.order(0), 'impossible-date').order_date).toBe(
      '2025-02-30T10:00:00.000Z',
    );
  });
});
