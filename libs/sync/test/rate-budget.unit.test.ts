import { RateBudget } from '../src/rate-budget';

describe('RateBudget', () => {
  it('when the limit is reached, then the next request waits until a slot is a full period past its response', async () => {
    let t = 0;
    const budget = new RateBudget({ limit: 2, periodMs: 1000, safetyMs: 0, now: () => t });
    const r1 = await budget.acquire();
    const r2 = await budget.acquire();
    expect(budget.available()).toBe(0);
    let third = false;
    const pending = budget.acquire().then(() => (third = true));
    r1();
    r2();
    await new Promise((r) => setTimeout(r, 5));
    expect(third).toBe(false);
    t = 1001;
    expect(budget.available()).toBe(2);
    budget.observeRemaining(5); // a generous server never raises our budget
    await new Promise((r) => setTimeout(r, 5));
    // The timer was armed for the real clock; wake it by another release.
    (await budget.acquire())();
    await pending;
    expect(third).toBe(true);
  });

  it('when the server reports fewer remaining requests than we counted, then the budget shrinks to match', async () => {
    const budget = new RateBudget({ limit: 10, periodMs: 60_000 });
    const release = await budget.acquire();
    release(3);
    expect(budget.available()).toBe(3);
  });

  it('when a 429 arrives, then the budget is empty for the period', () => {
    const budget = new RateBudget({ limit: 10, periodMs: 60_000 });
    budget.exhausted();
    expect(budget.available()).toBe(0);
  });

  describe('when a slot is released', () => {
    it('when every request takes the same latency, then its slot frees a period after its send, not after its response', async () => {
      let t = 0;
      const budget = new RateBudget({ limit: 1, periodMs: 1000, safetyMs: 50, now: () => t });
      const release = await budget.acquire();
      t = 300; // the response, 300 ms after the send
      release();
      t = 1049;
      expect(budget.available()).toBe(0);
      t = 1050; // send + period + margin
      expect(budget.available()).toBe(1);
    });

    it('when a request is slower than the fastest seen, then it holds its slot longer by what it was slower', async () => {
      let t = 0;
      const budget = new RateBudget({ limit: 1, periodMs: 1000, safetyMs: 0, now: () => t });
      const fast = await budget.acquire();
      t = 300;
      fast();
      t = 2000;
      const slow = await budget.acquire();
      t = 2500; // 500 ms: 200 more than the fastest, so its count may have come 200 ms later
      slow();
      t = 3199;
      expect(budget.available()).toBe(0);
      t = 3200;
      expect(budget.available()).toBe(1);
    });

    it('when a response takes longer than the period, then the slot is held until the response and freed at once', async () => {
      let t = 0;
      const budget = new RateBudget({ limit: 1, periodMs: 1000, safetyMs: 0, now: () => t });
      const release = await budget.acquire();
      t = 1500;
      expect(budget.available()).toBe(0); // in flight
      release();
      expect(budget.available()).toBe(1);
    });
  });
});
