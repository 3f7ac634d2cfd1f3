import { InMemoryDedupStore } from '../src/domain/dedup-store';

describe('InMemoryDedupStore (the rules of the PostgreSQL dedup table)', () => {
  let now = 0;
  const store = () => new InMemoryDedupStore({ windowMs: 1000, claimTimeoutMs: 100 }, () => now);
  beforeEach(() => (now = 0));

  it('when a delivery is claimed, accepted, then claimed again within the window, then it is a duplicate; after the window it is new', async () => {
    const a = store().as('a');
    expect(await a.claim('d1')).toBe('claimed');
    await a.accepted('d1');
    now = 999;
    expect(await a.claim('d1')).toBe('accepted');
    now = 1000;
    expect(await a.claim('d1')).toBe('claimed');
  });

  it('when another replica holds the claim, then pending until the claim timeout, then it may take it over', async () => {
    const shared = store();
    const [a, b] = [shared.as('a'), shared.as('b')];
    expect(await a.claim('d2')).toBe('claimed');
    now = 99;
    expect(await b.claim('d2')).toBe('pending');
    now = 100;
    expect(await b.claim('d2')).toBe('claimed');
    // the first claimant can no longer mark it: it is b's now
    await a.accepted('d2');
    expect(await a.claim('d2')).toBe('pending');
  });

  it('when a replica accepted a delivery, then the other sees a duplicate', async () => {
    const shared = store();
    await shared.as('a').claim('d3');
    await shared.as('a').accepted('d3');
    expect(await shared.as('b').claim('d3')).toBe('accepted');
  });

  it('when a claim is released (publication failed), then the next attempt claims it at once', async () => {
    const a = store().as('a');
    await a.claim('d4');
    await a.release('d4');
    expect(await a.claim('d4')).toBe('claimed');
  });
});
