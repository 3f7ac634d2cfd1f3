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
