/** What `npm start` tells the operator once everything it started is ready (or the wait gave up). */
export interface StartupSummary {
  /** Each service, its URL, and whether its /readyz answered 200. */
  services: { name: string; url: string; ready: boolean }[];
  /** The sources served by the built-in simulators (empty: both real APIs). */
  simulated: string[];
  /** The scheduler's URL: dashboard and admin API. */
  dashboardUrl: string;
  /** The gateway's public URL (webhooks from CuraGenesis). */
  webhookUrl: string;
  /** Keys read from `.env` (names only). */
  dotEnvKeys: string[];
  logFormat: string;
  seconds: number;
}

const WIDTH = 78;
const RULE = '-'.repeat(WIDTH);

/**
 * The one block `npm start` ends its start-up with: what runs, on which URL, demo or real sources, how
 * to stop. Every line fits 80 columns.
 */
export function startupBanner(s: StartupSummary): string {
  const waiting = s.services.filter((svc) => !svc.ready).map((svc) => svc.name);
  const head = waiting.length
    ? `Tributary started in ${s.seconds.toFixed(1)} s; not ready yet: ${waiting.join(', ')}`
    : `Tributary is ready: ${s.services.length} services in ${s.seconds.toFixed(1)} s`;
  const sources = s.simulated.length
    ? [
        `demo: ${s.simulated.join(' and ')} from the built-in simulator${s.simulated.length > 1 ? 's' : ''}`,
        'put REPCARD_API_KEY / CURAGENESIS_API_KEY in .env for the real APIs',
      ]
    : ['real: the RepCard and CuraGenesis APIs'];
  const rows: [string, string][] = [
    ['open', `${s.dashboardUrl}  dashboard and admin API`],
    ['webhooks', `${s.webhookUrl}/api/webhooks/curagenesis/...`],
    ...s.services.map((svc, i): [string, string] => [
      i === 0 ? 'services' : '',
      `${svc.name.padEnd(19)} ${svc.url}${svc.ready ? '' : '  (starting)'}`,
    ]),
    ...sources.map((line, i): [string, string] => [i === 0 ? 'sources' : '', line]),
    [
      '.env',
      s.dotEnvKeys.length
        ? `read: ${s.dotEnvKeys.join(', ')}`
        : 'none (optional: API keys, LOG_LEVEL, ports)',
    ],
    [
      'logs',
      `${s.logFormat === 'json' ? 'JSON lines' : 'readable lines'} (LOG_FORMAT=json|pretty, LOG_LEVEL=debug)`,
    ],
    ['sync', 'npm run sync:repcard   npm run sync:curagenesis'],
    ['stop', 'Ctrl-C stops the services (npm run stack:down: the stack)'],
  ];
  const body = rows.map(([label, text]) => fit(` ${label.padEnd(9)}${text}`));
  return [RULE, fit(` ${head}`), RULE, ...body, RULE].join('\n');
}

/** A line cut to the block's width (a long URL or key list must not wrap the block). */
function fit(line: string): string {
  return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 3)}...`;
}
