import { randomBytes } from 'node:crypto';
import { ConfigError } from '@tributary/core';
import { DEMO_WEBHOOK_SECRET, loadConfig } from '@tributary/config';
import { webhookGatewayConfigSchema, webhookSecretsOf } from '../src/config';
import { configuredSecrets, parseSecretList, weakSecretProblem } from '../src/domain/secrets';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};
const hex32 = () => randomBytes(32).toString('hex');
const whsec32 = () => `whsec_${randomBytes(32).toString('base64')}`;
const load = (env: Record<string, string | undefined>) =>
  loadConfig(webhookGatewayConfigSchema, { ...base, ...env });

describe('webhook secrets', () => {
  it('when a list mixes commas and spaces, then each secret is read once, in order', () => {
    expect(parseSecretList(' a, b  c,,a ')).toEqual(['a', 'b', 'c']);
    expect(configuredSecrets('x', 'y x z')).toEqual(['x', 'y', 'z']);
    expect(configuredSecrets(undefined, undefined)).toEqual([]);
  });

  it.each([
    ['the demo value', DEMO_WEBHOOK_SECRET, /public demo value/],
    ['one character', 's', /at least 32 random bytes/],
    ['a 31-byte whsec_', `whsec_${randomBytes(31).toString('base64')}`, /at least 32 random bytes/],
    ['32 hex characters (16 bytes)', randomBytes(16).toString('hex'), /at least 32 random bytes/],
    ['one character repeated', 'a'.repeat(80), /at least 32 random bytes/],
  ])('when the secret is %s, then it is weak', (_name, secret, problem) => {
    expect(weakSecretProblem(secret)).toMatch(problem);
  });

  it.each([
    ['64 hex digits', hex32()],
    ['whsec_ + 32 random bytes', whsec32()],
    ['base64 of 32 bytes', randomBytes(32).toString('base64')],
  ])('when the secret is %s, then it is strong enough', (_name, secret) => {
    expect(weakSecretProblem(secret)).toBeNull();
  });

  it('when outside demo mode the secret is short, then a ConfigError names the variable without showing the value', () => {
    expect(() => load({ CURAGENESIS_WEBHOOK_SECRET: 's' })).toThrow(ConfigError);
    expect(() => load({ CURAGENESIS_WEBHOOK_SECRET: 'short-secret' })).toThrow(
      /^CURAGENESIS_WEBHOOK_SECRET: must hold at least 32 random bytes .*\(given "\*\*\*"\)$/,
    );
  });

  it('when outside demo mode the secret is the demo value, then it is refused', () => {
    expect(() => load({ CURAGENESIS_WEBHOOK_SECRET: DEMO_WEBHOOK_SECRET })).toThrow(
      /^CURAGENESIS_WEBHOOK_SECRET: is the public demo value/,
    );
  });

  it('when TRIBUTARY_DEMO=1, then the demo value and a short secret are accepted', () => {
    expect(load({ TRIBUTARY_DEMO: '1', CURAGENESIS_WEBHOOK_SECRET: DEMO_WEBHOOK_SECRET })).toMatchObject({
      TRIBUTARY_DEMO: true,
    });
    expect(webhookSecretsOf(load({ TRIBUTARY_DEMO: 'true', CURAGENESIS_WEBHOOK_SECRET: 's' }))).toEqual([
      's',
    ]);
  });

  it('when only CURAGENESIS_WEBHOOK_SECRETS lists two secrets, then both are active', () => {
    const [a, b] = [hex32(), whsec32()];
    expect(webhookSecretsOf(load({ CURAGENESIS_WEBHOOK_SECRETS: `${a}, ${b}` }))).toEqual([a, b]);
  });

  it('when the single secret and the list are both set, then all are active', () => {
    const [a, b] = [hex32(), hex32()];
    expect(webhookSecretsOf(load({ CURAGENESIS_WEBHOOK_SECRET: a, CURAGENESIS_WEBHOOK_SECRETS: b }))).toEqual(
      [a, b],
    );
  });

  it('when one listed secret is weak or malformed, then CURAGENESIS_WEBHOOK_SECRETS is named', () => {
    expect(() => load({ CURAGENESIS_WEBHOOK_SECRETS: `${hex32()} changeme` })).toThrow(
      /^CURAGENESIS_WEBHOOK_SECRETS: an item must hold at least 32 random bytes/,
    );
    expect(() => load({ CURAGENESIS_WEBHOOK_SECRETS: `${hex32()} whsec_!!` })).toThrow(
      /^CURAGENESIS_WEBHOOK_SECRETS: an item: a whsec_ secret/,
    );
  });

  it('when neither variable is set, then CURAGENESIS_WEBHOOK_SECRET is required', () => {
    expect(() => load({})).toThrow(/^CURAGENESIS_WEBHOOK_SECRET: is required but not set/);
  });

  it('when the new settings are not given, then their defaults apply', () => {
    expect(load({ CURAGENESIS_WEBHOOK_SECRET: hex32() })).toMatchObject({
      TRIBUTARY_DEMO: false,
      WEBHOOK_PUBLISH_TIMEOUT_MS: 2000,
      WEBHOOK_RETRY_AFTER_SEC: 5,
      WEBHOOK_MAX_IN_FLIGHT: 2000,
      WEBHOOK_CLAIM_TIMEOUT_MS: 30_000,
      INTERNAL_PORT: 9101,
    });
  });
});
