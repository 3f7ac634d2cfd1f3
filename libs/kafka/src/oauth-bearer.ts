import { DependencyError, errorMessage } from '@tributary/core';

/** The OAuth 2.0 client-credentials grant that gives the SASL OAUTHBEARER token. */
export interface OAuthClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Per-request timeout, ms (default 10000). */
  timeoutMs?: number;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
}

/**
 * A kafkajs `oauthBearerProvider`: fetches a token with the client-credentials grant (client id and
 * secret in HTTP basic auth, RFC 6749 §4.4) and reuses it until 80% of its lifetime has passed
 * (kafkajs asks at every connection and re-authentication). A failure throws a retriable
 * `KAFKA_OAUTH_TOKEN_FAILED` whose message names the token URL and the HTTP status, never the secret.
 */
export function oauthBearerProvider(
  credentials: OAuthClientCredentials,
  now: () => number = Date.now,
  fetchFn: typeof fetch = fetch,
): () => Promise<{ value: string }> {
  let cached: { value: string; renewAt: number } | undefined;
  let pending: Promise<{ value: string }> | undefined;
  const fetchToken = async (): Promise<{ value: string }> => {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credentials.scope) body.set('scope', credentials.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString('base64');
    let res: Response;
    try {
      res = await fetchFn(credentials.tokenUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(credentials.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new DependencyError(
        'KAFKA_OAUTH_TOKEN_FAILED',
        `OAUTHBEARER token from ${credentials.tokenUrl}: ${errorMessage(err)}`,
      );
    }
    const answer = (await res.json().catch(() => ({}))) as TokenAnswer;
    if (!res.ok || typeof answer.access_token !== 'string') {
      throw new DependencyError(
        'KAFKA_OAUTH_TOKEN_FAILED',
        `OAUTHBEARER token from ${credentials.tokenUrl}: HTTP ${res.status}${res.ok ? ' without access_token' : ''}`,
      );
    }
    const lifetimeSec =
      typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 300;
    cached = { value: answer.access_token, renewAt: now() + lifetimeSec * 800 };
    return { value: answer.access_token };
  };
  return async () => {
    if (cached && now() < cached.renewAt) return { value: cached.value };
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
