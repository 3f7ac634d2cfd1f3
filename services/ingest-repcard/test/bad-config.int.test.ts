import { startServiceProcess } from '@tributary/testkit';

// A service given bad configuration refuses to start: exit code 78 and one line naming the variable.
describe('services refuse bad configuration', () => {
  it('when REPCARD_API_KEY is missing, then ingest-repcard exits 78 naming it', async () => {
    const svc = startServiceProcess('ingest-repcard', { REPCARD_API_KEY: '' });
    expect(await svc.exited).toBe(78);
    expect(svc.lines.join('\n')).toMatch(/ingest-repcard: configuration error: .*REPCARD_API_KEY/);
  });

  it('when DATABASE_URL is not a postgres URL, then the projector exits 78 naming it', async () => {
    const svc = startServiceProcess('projector', { DATABASE_URL: 'mysql://nope' });
    expect(await svc.exited).toBe(78);
    expect(svc.lines.join('\n')).toMatch(/projector: configuration error: .*DATABASE_URL/);
  });

  it('when REPCARD_RATE_LIMIT is not a number, then ingest-repcard exits 78 naming it', async () => {
    const svc = startServiceProcess('ingest-repcard', { REPCARD_API_KEY: 'k', REPCARD_RATE_LIMIT: 'lots' });
    expect(await svc.exited).toBe(78);
    expect(svc.lines.join('\n')).toMatch(/REPCARD_RATE_LIMIT/);
  });
});
