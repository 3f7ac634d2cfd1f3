import { booleanVar } from './env-vars';

/**
 * Demo mode, explicit: `TRIBUTARY_DEMO=1` (set by `npm start` when it runs the simulators). Outside
 * demo mode, services refuse to start without real secrets; in demo mode the public demo values
 * below are accepted. Nothing turns demo mode on implicitly (no API key does not mean demo).
 */
export const demoModeEnv = {
  TRIBUTARY_DEMO: booleanVar(false),
};

/**
 * The public webhook secret of the demo (`npm start` with the simulators, compose's default): known
 * to everyone, so the webhook gateway refuses it outside demo mode.
 */
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret';
