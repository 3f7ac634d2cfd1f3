import { checkSourceBaseUrl, fetchSameOrigin, insecureSourceUrlsAllowed } from '../src/source-url-policy';
import { SourceClient } from '../src/source-client';

function fakeFetch(routes: Record<string, { status: number; location?: string; body?: string }>) {
  const calls: { url: string; headers: unknown }[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers });
    const r = routes[url] ?? { status: 404 };
    return new Response(r.body ?? null, {
      status: r.status,
      headers: r.location ? { location: r.location } : {},
    });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('source URL policy', () => {
  it('when the base URL is http outside tests and demo mode, then it is refused naming the source', () => {
    expect(() => checkSourceBaseUrl('repcard', 'http://api.repcard.com', false)).toThrow(
      /repcard API URL: must be https/,
    );
    expect(() => checkSourceBaseUrl('repcard', 'https://api.repcard.com', false)).not.toThrow();
    expect(() => checkSourceBaseUrl('repcard', 'http://127.0.0.1:4010', true)).not.toThrow();
    expect(() => checkSourceBaseUrl('repcard', 'ftp://x', true)).toThrow(/must be https/);
  });

  it('when tests or demo mode run, then plain http is allowed; otherwise not', () => {
    expect(insecureSourceUrlsAllowed({ NODE_ENV: 'test' })).toBe(true);
    expect(insecureSourceUrlsAllowed({ TRIBUTARY_DEMO: '1' })).toBe(true);
    expect(insecureSourceUrlsAllowed({ NODE_ENV: 'production' })).toBe(false);
  });

  it('when the API redirects within its origin, then the redirect is followed', async () => {
    const { impl, calls } = fakeFetch({
      'https://api.example/a': { status: 301, location: '/b' },
      'https://api.example/b': { status: 200, body: '{}' },
    });
    const res = await fetchSameOrigin(impl, 'https://api.example/a', { headers: { 'x-api-key': 'k' } });
    expect(res.status).toBe(200);
    expect(calls.map((c) => c.url)).toEqual(['https://api.example/a', 'https://api.example/b']);
  });

  it('when the API redirects to another origin, then REDIRECT_REFUSED and the key is never sent there', async () => {
    const { impl, calls } = fakeFetch({
      'https://api.example/a': { status: 302, location: 'https://evil.example/steal' },
    });
    await expect(
      fetchSameOrigin(impl, 'https://api.example/a', { headers: { 'x-api-key': 'k' } }),
    ).rejects.toMatchObject({
      code: 'REDIRECT_REFUSED',
      retriable: false,
    });
    expect(calls.map((c) => c.url)).toEqual(['https://api.example/a']);
  });

  it('when a SourceClient is built on an http URL outside tests, then it refuses', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(
        () => new SourceClient({ source: 'repcard', baseUrl: 'http://api.repcard.com', headers: {} }),
      ).toThrow(/must be https/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
