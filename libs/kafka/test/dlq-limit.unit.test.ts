import { DEFAULT_MAX_CONSECUTIVE_FAILURES, DlqLimit, DlqLimitExceededError } from '../src/dlq-limit';

const failures = (n: number) => Array.from({ length: n }, () => true);

describe('DlqLimit', () => {
  it('when failures in a row stay within maxConsecutiveFailures, then no breach', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 3 });
    expect(limit.recordAll(failures(3))).toBeUndefined();
    expect(limit.consecutiveFailures).toBe(3);
  });

  it('when one more failure in a row than allowed arrives, then it is a consecutive breach', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 3 });
    expect(limit.recordAll([true, true, true, true, true])).toMatchObject({
      reason: 'consecutive',
      consecutiveFailures: 4,
      limit: 3,
    });
  });

  it('when a good record comes between failures, then the run starts again', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 2 });
    expect(limit.recordAll([true, true, false, true, true, false, true])).toBeUndefined();
    expect(limit.consecutiveFailures).toBe(1);
  });

  it('when no policy is given, then the default allows 50 in a row and stops at 51', () => {
    const limit = new DlqLimit();
    expect(limit.recordAll(failures(DEFAULT_MAX_CONSECUTIVE_FAILURES))).toBeUndefined();
    expect(limit.record(true)?.reason).toBe('consecutive');
  });

  it('when maxConsecutiveFailures is 0, then the first dead letter is a breach', () => {
    expect(new DlqLimit({ maxConsecutiveFailures: 0 }).record(true)?.reason).toBe('consecutive');
  });

  it('when the window is not full yet, then the ratio is not judged', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 100, maxRatio: { ratio: 0.5, window: 4 } });
    expect(limit.recordAll([true, true, true])).toBeUndefined();
  });

  it('when the share of failures in a full window exceeds the ratio, then it is a ratio breach', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 100, maxRatio: { ratio: 0.5, window: 4 } });
    // window F T F T: 2 of 4 = 0.5, not above; then the oldest F drops out for a T: 3 of 4.
    expect(limit.recordAll([false, true, false, true])).toBeUndefined();
    expect(limit.record(true)).toMatchObject({ reason: 'ratio', failuresInWindow: 3, window: 4, limit: 0.5 });
  });

  it('when old failures slide out of the window, then they no longer count', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 100, maxRatio: { ratio: 0.5, window: 4 } });
    expect(limit.recordAll([true, true, false, false, false, false, true, true])).toBeUndefined();
  });

  it('when a clone records outcomes, then the original is unchanged (a batch is tried first)', () => {
    const limit = new DlqLimit({ maxConsecutiveFailures: 2, maxRatio: { ratio: 0.5, window: 2 } });
    limit.record(true);
    const trial = limit.clone();
    expect(trial.recordAll([true, true])).toBeDefined();
    expect(limit.consecutiveFailures).toBe(1);
    expect(limit.record(false)).toBeUndefined();
  });

  it('when the ratio policy is malformed, then it is refused', () => {
    expect(() => new DlqLimit({ maxRatio: { ratio: 2, window: 10 } })).toThrow(/maxRatio/);
    expect(() => new DlqLimit({ maxRatio: { ratio: 0.1, window: 0 } })).toThrow(/maxRatio/);
  });

  it('when the limit is exceeded, then the error says where and why, with code DLQ_LIMIT_EXCEEDED', () => {
    const breach = new DlqLimit({ maxConsecutiveFailures: 1 }).recordAll([true, true])!;
    const error = new DlqLimitExceededError(breach, { topic: 't', partition: 2, groupId: 'g', offset: '7' });
    expect(error.code).toBe('DLQ_LIMIT_EXCEEDED');
    expect(error.retriable).toBe(false);
    expect(error.message).toContain('t[2] group g');
    expect(error.details).toMatchObject({ topic: 't', partition: 2, offset: '7', reason: 'consecutive' });
  });
});
