import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { oauthBearerProvider, type OAuthClientCredentials } from './oauth-bearer';

/** SASL mechanisms, as written in `KAFKA_SASL_MECHANISM`. */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export type SaslSettings =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | ({ mechanism: 'oauthbearer' } & OAuthClientCredentials);

/** TLS to the brokers. PEM texts (already read from their files), not paths. */
export interface TlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
  /** Refuse a broker certificate no trusted CA signed (default true; false only for a test cluster). */
  rejectUnauthorized: boolean;
}

/** How to reach secured brokers: TLS and/or SASL. Both absent: PLAINTEXT (the development stack). */
export interface KafkaSecuritySettings {
  tls?: TlsSettings;
  sasl?: SaslSettings;
}

/**
 * The kafkajs `ssl` and `sasl` options of `settings` (spread them into createKafka). Secrets stay in
 * the returned objects only: nothing here logs or throws them.
 */
export function kafkaSecurity(settings: KafkaSecuritySettings = {}): {
  ssl?: ConnectionOptions | true;
  sasl?: SASLOptions;
} {
  const out: { ssl?: ConnectionOptions | true; sasl?: SASLOptions } = {};
  const { tls, sasl } = settings;
  if (tls) {
    const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized };
    if (tls.ca !== undefined) options.ca = [tls.ca];
    if (tls.cert !== undefined) options.cert = tls.cert;
    if (tls.key !== undefined) options.key = tls.key;
    if (tls.passphrase !== undefined) options.passphrase = tls.passphrase;
    out.ssl = options;
  }
  if (sasl) {
    if (sasl.mechanism === 'oauthbearer') {
      const { mechanism: _mechanism, ...credentials } = sasl;
      out.sasl = { mechanism: 'oauthbearer', oauthBearerProvider: oauthBearerProvider(credentials) };
    } else {
      out.sasl = {
        mechanism: sasl.mechanism,
        username: sasl.username,
        password: sasl.password,
      } as SASLOptions;
    }
  }
  return out;
}

/** What may be said about the security settings in a log line: mechanism and TLS, never a secret. */
export function describeSecurity(settings: KafkaSecuritySettings = {}): string {
  const sasl = settings.sasl ? `SASL ${settings.sasl.mechanism.toUpperCase()}` : 'no SASL';
  const tls = settings.tls
    ? `TLS${settings.tls.ca !== undefined ? ' (own CA)' : ''}${settings.tls.cert !== undefined ? ' with client certificate' : ''}${settings.tls.rejectUnauthorized ? '' : ' NOT verifying brokers'}`
    : 'no TLS';
  return `${sasl}, ${tls}`;
}
