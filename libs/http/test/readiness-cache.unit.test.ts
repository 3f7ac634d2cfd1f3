import { cachedCheck } from '../src/readiness';

describe('cachedCheck', () => {
  it('when probed many times within the interval, then the check runs once and every probe gets its result', async () => {
    let t = 0;
    const check = jest.fn(async () => undefined);
    const cached = cachedCheck(check, { ttlMs: 5000, now: () => t });
    await Promise.all([cached(), cached(), cached()]);
    t = 4999;
    await cached();
    expect(check).toHaveBeenCalledTimes(1);
    t = 5000;
    await cached();
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('when the check fails, then probes within the interval get the same error, and the next interval checks again', async () => {
    let t = 0;
    let fail = true;
    const check = jest.fn(async () => {
      if (fail) throw new Error('broker down');
    });
    const cached = cachedCheck(check, { ttlMs: 1000, now: () => t });
    await expect(cached()).rejects.toThrow('broker down');
    fail = false;
    await expect(cached()).rejects.toThrow('broker down');
    t = 1000;
    await expect(cached()).resolves.toBeUndefined();
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('when probes arrive while a check is in flight, then they share it', async () => {
    let release!: () => void;
    const check = jest.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const cached = cachedCheck(check, { ttlMs: 1000 });
    const probes = [cached(), cached()];
    await new Promise((resolve) => setImmediate(resolve));
    expect(check).toHaveBeenCalledTimes(1);
    release();
    await Promise.all(probes);
  });
});
