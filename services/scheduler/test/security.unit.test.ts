import express from 'express';
import { createHttpService } from '@tributary/http';
import { createMetrics, nullLogger } from '@tributary/observability';
import { mountCronEndpoint } from '../src/entry-points/cron-endpoint';
import { mountDashboard } from '../src/entry-points/dashboard';
import { parseCookies, sessionCookie, sessionIdOf } from '../src/entry-points/security/cookies';
import { DEMO_ALLOWED_HOSTS, originRefusal } from '../src/entry-points/security/origin-policy';
import type { SyncRequester } from '../src/domain/sync-requester';

describe('origin policy', () => {
  const open = { allowedHosts: [], allowedOrigins: [] };

  it('when a request has no Origin and no Sec-Fetch-Site (curl, a script), then it passes', () => {
    expect(originRefusal(open, { host: 'sched:3000' })).toBeNull();
  });

  it('when Origin is this host, then it passes; another host, null, or a cross-site fetch is refused', () => {
    expect(originRefusal(open, { host: 'sched:3000', origin: 'http://sched:3000' })).toBeNull();
    expect(originRefusal(open, { host: 'sched:3000', origin: 'http://evil.example' })).toMatch(
      /another origin/,
    );
    expect(originRefusal(open, { host: 'sched:3000', origin: 'http://sched:3001' })).toMatch(
      /another origin/,
    );
    expect(originRefusal(open, { host: 'sched:3000', origin: 'null' })).toMatch(/opaque/);
    expect(originRefusal(open, { host: 'sched:3000', secFetchSite: 'cross-site' })).toMatch(/cross-site/);
    expect(originRefusal(open, { host: 'sched:3000', secFetchSite: 'same-site' })).toMatch(/same-site/);
    expect(originRefusal(open, { host: 'sched:3000', secFetchSite: 'same-origin' })).toBeNull();
  });

  it('when an allowed origin is configured (a proxy), then it passes', () => {
    const proxied = { allowedHosts: [], allowedOrigins: ['https://tributary.example.com'] };
    expect(
      originRefusal(proxied, { host: 'sched:3000', origin: 'https://tributary.example.com' }),
    ).toBeNull();
  });

  it('when demo mode limits hosts to loopback, then a rebinding name is refused whatever its Origin', () => {
    const demo = { allowedHosts: DEMO_ALLOWED_HOSTS, allowedOrigins: [] };
    expect(originRefusal(demo, { host: '127.0.0.1:3000' })).toBeNull();
    expect(originRefusal(demo, { host: 'localhost:3000', origin: 'http://localhost:3000' })).toBeNull();
    expect(originRefusal(demo, { host: 'evil.example:3000', origin: 'http://evil.example:3000' })).toMatch(
      /Host/,
    );
  });
});

describe('session cookie', () => {
  it('when made for plain http, then HttpOnly, SameSite=Strict, Path=/ and no Secure', () => {
    expect(sessionCookie('abc', { secure: false, maxAgeSec: 60 })).toBe(
      'tributary_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60',
    );
  });

  it('when made behind TLS, then __Host- prefixed and Secure', () => {
    const c = sessionCookie('abc', { secure: true, maxAgeSec: 60 });
    expect(c).toMatch(/^__Host-tributary_session=abc; /);
    expect(c).toContain('; Secure');
  });

  it('when a Cookie header is parsed, then the session id is found under either name', () => {
    expect(parseCookies('a=1; b="2"; a=3')).toEqual({ a: '1', b: '2' });
    expect(sessionIdOf('x=1; tributary_session=s1')).toBe('s1');
    expect(sessionIdOf('__Host-tributary_session=s2')).toBe('s2');
    expect(sessionIdOf(undefined)).toBeUndefined();
  });
});

async function serve(
  configure: (app: express.Express) => void,
): Promise<{ url: string; stop(): Promise<void> }> {
  const http = createHttpService({
    service: 't',
    logger: nullLogger(),
    metrics: createMetrics('t'),
    configure,
  });
  const port = await http.start(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, stop: () => http.stop() };
}

describe('cron endpoint refusals', () => {
  const requester: SyncRequester = {
    request: () => {
      throw new Error('must not be called');
    },
  };
  const mount = (cronSecret: string | undefined) => (app: express.Express) =>
    mountCronEndpoint(app, {
      pool: {} as never,
      requester,
      cronSecret,
      sources: ['repcard'],
      logger: nullLogger(),
    });

  it('when CRON_SECRET is not configured, then every call is refused 403, even one with a bearer', async () => {
    const s = await serve(mount(undefined));
    try {
      const res = await fetch(`${s.url}/api/cron/sync`, {
        method: 'POST',
        headers: { Authorization: 'Bearer anything-at-all-really' },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CRON_NOT_CONFIGURED');
    } finally {
      await s.stop();
    }
  });

  it('when the secret is wrong or missing, then 401 with WWW-Authenticate', async () => {
    const s = await serve(mount('the-right-secret-0123456789-abcdef'));
    try {
      const attempts: Record<string, string>[] = [
        {},
        { Authorization: 'Bearer the-right-secret-0123456789-abcdeX' },
        { Authorization: 'the-right-secret-0123456789-abcdef' },
      ];
      for (const headers of attempts) {
        const res = await fetch(`${s.url}/api/cron/sync`, { method: 'POST', headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    } finally {
      await s.stop();
    }
  });
});

describe('dashboard', () => {
  const html = '<html><body>\n<!--DEMO-BANNER-->\n<main>Sync Now</main></body></html>';

  it('when in demo mode, then the page says so in a banner', async () => {
    const s = await serve((app) => mountDashboard(app, { demo: true, html }));
    try {
      const text = await (await fetch(`${s.url}/`)).text();
      expect(text).toContain('DEMO MODE');
      expect(text).toContain('<body data-demo="1">');
    } finally {
      await s.stop();
    }
  });

  it('when not in demo mode, then no banner', async () => {
    const s = await serve((app) => mountDashboard(app, { demo: false, html }));
    try {
      expect(await (await fetch(`${s.url}/`)).text()).not.toContain('DEMO MODE');
    } finally {
      await s.stop();
    }
  });
});
