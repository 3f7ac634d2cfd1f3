/** The five services `npm start` runs, with their default HTTP ports (README lists the same). */
export const SERVICES = [
  { name: 'projector', port: 3004 },
  { name: 'ingest-repcard', port: 3002 },
  { name: 'ingest-curagenesis', port: 3003 },
  { name: 'webhook-gateway', port: 3001 },
  { name: 'scheduler', port: 3000 },
] as const;

export const SIMULATORS = {
  repcard: { name: 'sim-repcard', port: 4010, apiKey: 'sim-repcard-key' },
  curagenesis: { name: 'sim-curagenesis', port: 4020, apiKey: 'sim-curagenesis-key' },
} as const;

/** The public demo secret (refused by the gateway outside demo mode): declared once, in libs/config. */
export { DEMO_WEBHOOK_SECRET } from '@tributary/config';

type ServiceName = (typeof SERVICES)[number]['name'];

/** The variable that moves a service's port under `npm start`: `WEBHOOK_GATEWAY_PORT` and so on. */
export function portVariable(name: ServiceName): string {
  return `${name.toUpperCase().replace(/-/g, '_')}_PORT`;
}

/**
 * Where a service answers `/readyz`: its own port, except the webhook gateway, whose public port
 * serves only webhooks (its `/readyz` is on `INTERNAL_PORT`, default 9101).
 */
export function readyUrl(name: ServiceName, port: string, env: NodeJS.ProcessEnv): string {
  const readyPort = name === 'webhook-gateway' ? (env.INTERNAL_PORT ?? '9101') : port;
  return `http://127.0.0.1:${readyPort}/readyz`;
}
