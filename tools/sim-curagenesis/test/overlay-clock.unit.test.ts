import { Overlay } from '../src/overlay';

describe('the simulated mutation clock', () => {
  afterEach(() => jest.restoreAllMocks());

  it('when a mutation comes in the same millisecond the data set was made (or the wall clock steps back), then it is still after the data set’s now', () => {
    const wall = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    const overlay = new Overlay(now);
    expect(overlay.nextMutationMs()).toBe(now + 1);
    wall.mockReturnValue(999_000);
    expect(overlay.nextMutationMs()).toBe(now + 2);
  });
});
