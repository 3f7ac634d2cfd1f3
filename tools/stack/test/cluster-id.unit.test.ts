import { newClusterId } from '../src/kafka';

describe('newClusterId', () => {
  it('when the random bytes would make an id starting with "-", then another is drawn', () => {
    // 0xf8 leads to "-" in base64url (62 → "-"): the first draw must be refused.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x41)];
    const id = newClusterId(() => draws.shift()!);
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
    expect(id).toBe(Buffer.alloc(16, 0x41).toString('base64url'));
    expect(draws).toHaveLength(0);
  });

  it('when drawn for real, then ids are 22 base64url characters and none starts with "-"', () => {
    for (let i = 0; i < 2000; i++) expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
