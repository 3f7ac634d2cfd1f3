/**
 * Which browser requests the scheduler serves (pure). A request is refused when:
 *   - its `Host` is not one the service answers to (DNS rebinding: a hostile name resolving to us);
 *   - it comes from another origin: `Origin` whose host:port is not the `Host` (nor an allowed origin),
 *     `Origin: null`, or `Sec-Fetch-Site` cross-site / same-site.
 * Requests without `Origin` and `Sec-Fetch-Site` (curl, scripts, servers) pass: they carry no
 * ambient credential, and every route still needs one.
 */
export interface OriginPolicy {
  /** Host names (`name` or `name:port`, lower case); empty: any. */
  allowedHosts: readonly string[];
  /** Extra origins allowed (`https://tributary.example.com`, lower case). */
  allowedOrigins: readonly string[];
}

/** In demo mode without ALLOWED_HOSTS: loopback names only. */
export const DEMO_ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export interface RequestHeaders {
  host?: string;
  origin?: string;
  secFetchSite?: string;
}

/** Null when the request may go on, else why it is refused. */
export function originRefusal(policy: OriginPolicy, h: RequestHeaders): string | null {
  const host = (h.host ?? '').toLowerCase();
  if (policy.allowedHosts.length > 0 && !hostAllowed(policy.allowedHosts, host)) {
    return `Host ${JSON.stringify(host)} is not served here`;
  }
  const site = h.secFetchSite?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return `a ${site} browser request`;
  if (h.origin === undefined) return null;
  const origin = h.origin.toLowerCase();
  if (origin === 'null') return 'a request from an opaque origin';
  if (policy.allowedOrigins.includes(origin.replace(/\/$/, ''))) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return 'an Origin that is not a URL';
  }
  return originHost === host ? null : `a request from another origin (${origin})`;
}

function hostAllowed(allowed: readonly string[], host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return allowed.some((a) => a === host || a === name);
}
