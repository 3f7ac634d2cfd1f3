import { ConfigError } from '@tributary/core';
import { loadConfig } from '@tributary/config';
import { transactionalIdOf, webhookGatewayConfigSchema } from '../src/config';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};
/** 32 random bytes as hex: strong enough outside demo mode. */
const STRONG = 'c0d2f7a81b9e4c6d5a3f0e1b2c4d6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';

describe('webhook-gateway config', () => {
  it('when only the secret is added, then the defaults apply', () => {
    expect(
      loadConfig(webhookGatewayConfigSchema, { ...base, CURAGENESIS_WEBHOOK_SECRET: STRONG }),
    ).toMatchObject({
      PORT: 3001,
      WEBHOOK_BODY_LIMIT: '256kb',
      WEBHOOK_DEDUP_WINDOW_MS: 86_400_000,
      WEBHOOK_TOLERANCE_SEC: 300,
      WEBHOOK_GATEWAY_INSTANCE_ID: 'webhook-gateway-1',
    });
  });

  it.each([undefined, ''])(
    'when the secret is %p, then a ConfigError names CURAGENESIS_WEBHOOK_SECRET',
    (secret) => {
      expect(() =>
        loadConfig(webhookGatewayConfigSchema, { ...base, CURAGENESIS_WEBHOOK_SECRET: secret }),
      ).toThrow(ConfigError);
      expect(() =>
        loadConfig(webhookGatewayConfigSchema, { ...base, CURAGENESIS_WEBHOOK_SECRET: secret }),
      ).toThrow(/^CURAGENESIS_WEBHOOK_SECRET: is required/);
    },
  );

  it('when a whsec_ secret is not base64, then it is refused without showing it', () => {
    expect(() =>
      loadConfig(webhookGatewayConfigSchema, { ...base, CURAGENESIS_WEBHOOK_SECRET: 'whsec_!!!' }),
    ).toThrow(/CURAGENESIS_WEBHOOK_SECRET: a whsec_ secret .* \(given "\*\*\*"\)/);
  });

  it('when the body limit is not a size, then it is refused', () => {
    expect(() =>
      loadConfig(webhookGatewayConfigSchema, {
        ...base,
        CURAGENESIS_WEBHOOK_SECRET: STRONG,
        WEBHOOK_BODY_LIMIT: 'lots',
      }),
    ).toThrow(/WEBHOOK_BODY_LIMIT/);
  });

  it('when deriving the transactional id, then it reads webhook-gateway-<instance> without doubling the prefix', () => {
    expect(transactionalIdOf('webhook-gateway-1')).toBe('webhook-gateway-1');
    expect(transactionalIdOf('pod-7')).toBe('webhook-gateway-pod-7');
  });
});
