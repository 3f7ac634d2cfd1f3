import { commandPriority, RateBudget } from '../src';

/** Lets granted waiters' continuations run. */
const settle = () => new Promise((r) => setTimeout(r, 5));

describe('RateBudget priorities', () => {
  it('when the budget is spent and requests of several classes wait, then freed slots go to the highest class first, in arrival order within a class', async () => {
    let t = 0;
    const budget = new RateBudget({ limit: 1, periodMs: 1000, safetyMs: 0, now: () => t });
    const first = await budget.acquire(undefined, 'backfill');
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    const wait = (label: string, p: Parameters<RateBudget['acquire']>[1]) =>
      void budget.acquire(undefined, p).then((release) => {
        order.push(label);
        releases.set(label, release);
      });
    wait('backfill-1', 'backfill');
    wait('schedule', 'schedule');
    wait('manual-1', 'manual');
    wait('reconcile', 'reconcile');
    wait('manual-2', 'manual');
    wait('hint', 'hint');
    expect(budget.waiting()).toEqual({ backfill: 1, schedule: 1, manual: 2, reconcile: 1, hint: 1 });
    first();
    for (let i = 0; i < 6; i++) {
      t += 1000;
      budget.observeRemaining(1); // the clock moved: hand out what expired
      await settle();
      expect(order).toHaveLength(i + 1);
      releases.get(order[i]!)!();
    }
    expect(order).toEqual(['hint', 'manual-1', 'manual-2', 'schedule', 'backfill-1', 'reconcile']);
  });

  it('when a slot frees while a higher class waits, then a lower-class request arriving afterwards does not overtake it', async () => {
    let t = 0;
    const budget = new RateBudget({ limit: 1, periodMs: 1000, safetyMs: 0, now: () => t });
    (await budget.acquire(undefined, 'backfill'))();
    let manual = false;
    const waiting = budget.acquire(undefined, 'manual').then((r) => ((manual = true), r));
    t = 1000;
    let late = false;
    const lateBackfill = budget.acquire(undefined, 'backfill').then((r) => ((late = true), r));
    await settle();
    expect(manual).toBe(true);
    expect(late).toBe(false);
    (await waiting)();
    t = 2000;
    budget.observeRemaining(1);
    (await lateBackfill)();
    expect(late).toBe(true);
  });

  it('when a waiting request is aborted, then it leaves the queue with the signal reason and the next one gets the slot', async () => {
    let t = 0;
    const budget = new RateBudget({ limit: 1, periodMs: 1000, safetyMs: 0, now: () => t });
    const held = await budget.acquire();
    const abort = new AbortController();
    const aborted = budget.acquire(abort.signal, 'hint');
    const next = budget.acquire(undefined, 'backfill');
    abort.abort(new Error('run cancelled'));
    await expect(aborted).rejects.toThrow('run cancelled');
    expect(budget.waiting()).toEqual({ backfill: 1 });
    held();
    t = 1000;
    budget.observeRemaining(1);
    await expect(next).resolves.toBeInstanceOf(Function);
  });
});

describe('commandPriority', () => {
  const base = { trigger: 'manual', mode: 'incremental', window: { from: null, to: null } } as const;
  it('when a command is a full sync of a date window, then it is a backfill whoever asked', () => {
    expect(commandPriority({ ...base, mode: 'full', window: { from: '2025-01-01', to: null } })).toBe(
      'backfill',
    );
    expect(
      commandPriority({
        ...base,
        trigger: 'schedule',
        mode: 'full',
        window: { from: null, to: '2025-01-01' },
      }),
    ).toBe('backfill');
  });
  it('when a command is scheduled, then it is `schedule`; asked by a person or program, `manual`', () => {
    expect(commandPriority({ ...base, trigger: 'schedule' })).toBe('schedule');
    for (const trigger of ['manual', 'api', 'cli'] as const)
      expect(commandPriority({ ...base, trigger })).toBe('manual');
    expect(commandPriority({ ...base, mode: 'full' })).toBe('manual');
  });
});
