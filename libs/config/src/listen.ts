import { z } from 'zod';
import { demoModeEnv } from './demo-mode';
import { loadConfig, type Env } from './load-config';

/** The loopback address a service binds in demo mode unless HOST says otherwise. */
export const DEMO_HOST = '127.0.0.1';
/** Outside demo mode without HOST: every interface, as containers need (compose and Helm set HOST anyway). */
export const DEFAULT_HOST = '0.0.0.0';

/**
 * `HOST`: the address every service's HTTP server binds (an IPv4/IPv6 address or a host name).
 * Unset: 127.0.0.1 in demo mode (`TRIBUTARY_DEMO=1`, nothing reachable from the network), 0.0.0.0
 * otherwise. Read by @tributary/http for every service, so no service config repeats it.
 */
export const listenEnv = {
  ...demoModeEnv,
  HOST: z
    .string()
    .trim()
    .regex(/^(?:[A-Za-z0-9.-]+|\[?[0-9A-Fa-f:.]+\]?)$/, { error: 'must be an IP address or a host name' })
    .optional(),
};

const listenSchema = z.object(listenEnv);

/** The address to bind: HOST, else 127.0.0.1 in demo mode, else 0.0.0.0. Throws ConfigError naming HOST. */
export function listenHost(env: Env = process.env): string {
  const config = loadConfig(listenSchema, env);
  return config.HOST?.replace(/^\[(.*)\]$/, '$1') ?? (config.TRIBUTARY_DEMO ? DEMO_HOST : DEFAULT_HOST);
}
