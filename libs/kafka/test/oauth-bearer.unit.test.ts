import { oauthBearerProvider, kafkaSecurity, describeSecurity } from '@tributary/kafka';

describe('OAUTHBEARER token provider', () => {
  it('when asked twice within the token lifetime, then the endpoint is called once with basic auth', async () => {
    const calls: RequestInit[] = [];
    const fetchFn = (async (_url: string, init: RequestInit) => {
      calls.push(init);
      return new Response(JSON.stringify({ access_token: 'tok', expires_in: 100 }), { status: 200 });
    }) as unknown as typeof fetch;
    let now = 0;
    const provider = oauthBearerProvider(
      { tokenUrl: 'http://idp/token', clientId: 'svc', clientSecret: 's3cret', scope: 'kafka' },
      () => now,
      fetchFn,
    );
    expect(await provider()).toEqual({ value: 'tok' });
    now = 50_000;
    expect(await provider()).toEqual({ value: 'tok' });
    expect(calls).toHaveLength(1);
    expect((calls[0]!.headers as Record<string, string>).Authorization).toBe(
      `Basic ${Buffer.from('svc:s3cret').toString('base64')}`,
    );
    now = 81_000;
    await provider();
    expect(calls).toHaveLength(2);
  });

  it('when the endpoint refuses, then the error names the URL and status but not the secret', async () => {
    const fetchFn = (async () => new Response('no', { status: 401 })) as unknown as typeof fetch;
    const provider = oauthBearerProvider(
      { tokenUrl: 'http://idp/token', clientId: 'svc', clientSecret: 's3cret' },
      Date.now,
      fetchFn,
    );
    const err = (await provider().catch((e: unknown) => e)) as Error & { code: string };
    expect(err).toMatchObject({
      code: 'KAFKA_OAUTH_TOKEN_FAILED',
      message: 'OAUTHBEARER token from http://idp/token: HTTP 401',
    });
    expect(err.message).not.toContain('s3cret');
  });
});

describe('kafka security options', () => {
  it('when SCRAM over TLS with a CA is configured, then kafkajs gets both and the description has no secret', () => {
    const settings = {
      tls: { ca: 'PEM', rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512' as const, username: 'u', password: 'pw' },
    };
    expect(kafkaSecurity(settings)).toEqual({
      ssl: { rejectUnauthorized: true, ca: ['PEM'] },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'pw' },
    });
    expect(describeSecurity(settings)).toBe('SASL SCRAM-SHA-512, TLS (own CA)');
  });

  it('when nothing is configured, then no option is given (PLAINTEXT)', () => {
    expect(kafkaSecurity({})).toEqual({});
  });
});
