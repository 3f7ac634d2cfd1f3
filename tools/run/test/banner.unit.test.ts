import { startupBanner, type StartupSummary } from '../src/banner';
import { readyUrl } from '../src/services';

const summary = (over: Partial<StartupSummary> = {}): StartupSummary => ({
  services: [
    { name: 'projector', url: 'http://127.0.0.1:3004/', ready: true },
    { name: 'ingest-curagenesis', url: 'http://127.0.0.1:3003/', ready: true },
    { name: 'scheduler', url: 'http://127.0.0.1:3000/', ready: true },
  ],
  simulated: ['RepCard', 'CuraGenesis'],
  dashboardUrl: 'http://127.0.0.1:3000/',
  webhookUrl: 'http://127.0.0.1:3001',
  dotEnvKeys: [],
  logFormat: 'pretty',
  seconds: 31.24,
  ...over,
});

describe('start-up banner', () => {
  it('when everything is ready in demo mode, then one block says what runs where, that sources are simulated and how to stop, within 80 columns', () => {
    const text = startupBanner(summary());
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('Tributary is ready: 3 services in 31.2 s');
    expect(text).toContain('http://127.0.0.1:3000/  dashboard and admin API');
    expect(text).toMatch(/ingest-curagenesis\s+http:\/\/127\.0\.0\.1:3003\//);
    expect(text).toContain('demo: RepCard and CuraGenesis from the built-in simulators');
    expect(text).toContain('Ctrl-C stops the services');
  });

  it('when a service is not ready and real APIs are used, then the head names it and sources say real', () => {
    const text = startupBanner(
      summary({
        simulated: [],
        services: [{ name: 'projector', url: 'http://127.0.0.1:3004/', ready: false }],
        dotEnvKeys: [
          'REPCARD_API_KEY',
          'CURAGENESIS_API_KEY',
          'LOG_LEVEL',
          'A_VERY_LONG_VARIABLE_NAME_THAT_WOULD_WRAP',
        ],
      }),
    );
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('not ready yet: projector');
    expect(text).toContain('(starting)');
    expect(text).toContain('real: the RepCard and CuraGenesis APIs');
    expect(text).toContain('read: REPCARD_API_KEY');
  });

  it('when readiness is polled, then the gateway is asked on its internal port and the others on their own', () => {
    expect(readyUrl('projector', '3004', {})).toBe('http://127.0.0.1:3004/readyz');
    expect(readyUrl('webhook-gateway', '3001', {})).toBe('http://127.0.0.1:9101/readyz');
    expect(readyUrl('webhook-gateway', '3001', { INTERNAL_PORT: '9200' })).toBe(
      'http://127.0.0.1:9200/readyz',
    );
  });
});
