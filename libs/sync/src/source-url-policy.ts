import { ConfigError, TributaryError } from '@tributary/core';

/**
 * Where a source client may send its API key (issue 10, item 7): only to an https base URL (plain
 * http only in tests, `NODE_ENV=test`, and in demo mode, `TRIBUTARY_DEMO=1`, where the simulators
 * answer), and never along a redirect to another origin.
 */
export function insecureSourceUrlsAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'test' || ['1', 'true'].includes((env.TRIBUTARY_DEMO ?? '').trim().toLowerCase());
}

/** Refuses a base URL that is not https (unless allowed), naming the source. */
export function checkSourceBaseUrl(
  source: string,
  baseUrl: string,
  allowInsecure = insecureSourceUrlsAllowed(),
): void {
  let protocol: string;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    throw new ConfigError(`${source} API URL`, `not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (protocol === 'https:' || (allowInsecure && protocol === 'http:')) return;
  throw new ConfigError(
    `${source} API URL`,
    `must be https:// (given ${protocol}//...): the API key would travel in clear`,
  );
}

const MAX_REDIRECTS = 5;

/**
 * `fetch` that follows redirects only within the origin of `url` (the API key goes along); a
 * redirect to another origin is REDIRECT_REFUSED (final: retrying cannot help).
 */
export async function fetchSameOrigin(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await fetchImpl(current, { ...init, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || location === null) return res;
    const next = new URL(location, current);
    if (next.origin !== origin || hop >= MAX_REDIRECTS) {
      await res.body?.cancel().catch(() => undefined);
      throw new TributaryError(
        'REDIRECT_REFUSED',
        next.origin !== origin
          ? `refused a redirect from ${origin} to ${next.origin}: the API key stays with its origin`
          : `more than ${MAX_REDIRECTS} redirects from ${origin}`,
        { retriable: false, details: { from: origin, to: next.origin } },
      );
    }
    await res.body?.cancel().catch(() => undefined);
    current = next.toString();
  }
}
