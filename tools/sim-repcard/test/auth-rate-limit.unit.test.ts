import { startSim, type Running } from './helpers';

describe('auth and rate limit', () => {
  let running: Running | undefined;
  afterEach(async () => {
    await running?.sim.stop();
    running = undefined;
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-api-key': 'nope' }],
  ])('when the x-api-key header is %s, then it answers exactly the RepCard 401', async (_name, headers) => {
    running = await startSim();
    const res = await fetch(`${running.url}/customers`, { headers });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe(
      '{"status":0,"statusCode":401,"message":"You are not authorized to access the API.","result":{}}',
    );
    expect(running.sim.stats()).toMatchObject({ unauthorized: 1, byStatusClass: { '4xx': 1 } });
  });

  it('when requests spend the budget, then Remaining counts down and the next answers 429 as a violation', async () => {
    running = await startSim({ rateLimit: 3, ratePeriodMs: 60_000 });
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const res = await running.get('/offices');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(res.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await running.get('/offices');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(running.sim.stats()).toMatchObject({ rateLimitViolations: 1, injected429: 0, totalRequests: 4 });
  });

  it('when the window passes, then the budget is whole again', async () => {
    let now = 1_000;
    running = await startSim({ rateLimit: 1, ratePeriodMs: 10_000, clock: () => now, sendRetryAfter: true });
    expect((await running.get('/offices')).status).toBe(200);
    const limited = await running.get('/offices');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    now += 10_000;
    const again = await running.get('/offices');
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('when a 429 storm is injected, then 429s come with budget left and are not counted as violations', async () => {
    running = await startSim({ rateLimit: 10, faults: { rateLimit429Storm: { count: 2 } } });
    expect((await running.get('/offices')).status).toBe(429);
    expect((await running.get('/offices')).status).toBe(429);
    const ok = await running.get('/offices');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('9');
    expect(running.sim.stats()).toMatchObject({ injected429: 2, rateLimitViolations: 0 });
  });
});
