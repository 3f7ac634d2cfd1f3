/** The dashboard's session cookie. `__Host-` needs Secure, so the name differs behind TLS. */
export const SESSION_COOKIE = 'tributary_session';
export const SECURE_SESSION_COOKIE = '__Host-tributary_session';

/** The cookies of a `Cookie` header (first value wins; values URI-decoded when they decode). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    const raw = part
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/** The session id a request carries, from either cookie name. */
export function sessionIdOf(header: string | undefined): string | undefined {
  const cookies = parseCookies(header);
  return cookies[SECURE_SESSION_COOKIE] ?? cookies[SESSION_COOKIE];
}

/**
 * `Set-Cookie` of a session: HttpOnly (no script reads it), SameSite=Strict (no other site sends
 * it), Path=/, Secure behind TLS; `maxAgeSec` 0 clears it.
 */
export function sessionCookie(value: string, options: { secure: boolean; maxAgeSec: number }): string {
  const name = options.secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  return [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${options.maxAgeSec}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
