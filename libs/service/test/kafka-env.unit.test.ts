import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@tributary/config';
import { TOPICS } from '@tributary/contracts';
import { kafkaClusterSchema, kafkaSecurityOf, registryAuthOf, topicPlanOf } from '@tributary/service';

const load = (env: Record<string, string>) => loadConfig(kafkaClusterSchema, env);
const errorOf = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('kafka cluster variables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-env-'));
  const ca = join(dir, 'ca.pem');
  writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n');

  it('when nothing is set, then PLAINTEXT, no registry auth, and topics created as before (RF 1, min ISR 1)', () => {
    const c = load({});
    expect(kafkaSecurityOf(c)).toEqual({});
    expect(registryAuthOf(c)).toBeUndefined();
    expect(c.KAFKA_TOPICS_CREATE).toBe(true);
    const plan = topicPlanOf(c);
    expect(plan.find((t) => t.name === TOPICS.checkpoints)).toMatchObject({
      partitions: 1,
      replicationFactor: 1,
      minInsyncReplicas: 1,
    });
    expect(plan.find((t) => t.name === TOPICS.repcardCustomers)).toMatchObject({
      partitions: 3,
      replicationFactor: 1,
    });
  });

  it('when SCRAM over TLS with a CA file is set, then the CA text is read and the mechanism is any case', () => {
    const c = load({
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
      KAFKA_SSL_CA_FILE: ca,
      SCHEMA_REGISTRY_USERNAME: 'r',
      SCHEMA_REGISTRY_PASSWORD: 'rp',
    });
    expect(kafkaSecurityOf(c)).toEqual({
      tls: { rejectUnauthorized: true, ca: expect.stringContaining('BEGIN CERTIFICATE') },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'pw' },
    });
    expect(registryAuthOf(c)).toEqual({ username: 'r', password: 'rp' });
  });

  it('when a mechanism is unknown, then the error names the variable', () => {
    expect(errorOf({ KAFKA_SASL_MECHANISM: 'gssapi' })).toMatch(
      /^KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512, oauthbearer/,
    );
  });

  it('when the password is missing, then it is named; when set with a bad other value, then it is never shown', () => {
    expect(errorOf({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'svc' })).toMatch(
      /^KAFKA_SASL_PASSWORD: is required/,
    );
    const message = errorOf({
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'hunter2-secret',
      KAFKA_SSL: 'yes',
    });
    expect(message).toMatch(/^KAFKA_SSL: must be true, false, 1 or 0/);
    expect(message).not.toContain('hunter2-secret');
  });

  it('when the CA file cannot be read, then the variable is named', () => {
    expect(errorOf({ KAFKA_SSL_CA_FILE: join(dir, 'nope.pem') })).toMatch(
      /^KAFKA_SSL_CA_FILE: cannot be read: ENOENT/,
    );
  });

  it('when min.insync.replicas exceeds the replication factor, then the variable at fault is named', () => {
    expect(
      errorOf({ KAFKA_TOPIC_REPLICATION_FACTOR: '3', KAFKA_TOPIC_MIN_INSYNC_REPLICAS_DLQ: '4' }),
    ).toMatch(
      /^KAFKA_TOPIC_MIN_INSYNC_REPLICAS_DLQ: 4 is more than the replication factor 3 of the dlq topics/,
    );
    expect(errorOf({ KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2' })).toMatch(
      /^KAFKA_TOPIC_MIN_INSYNC_REPLICAS: 2 is more than the replication factor 1/,
    );
  });

  it('when RF 3 with entity partitions 12 and create off, then the plan says so per family', () => {
    const c = load({
      KAFKA_TOPIC_REPLICATION_FACTOR: '3',
      KAFKA_TOPIC_PARTITIONS_ENTITY: '12',
      KAFKA_TOPICS_CREATE: 'false',
    });
    expect(c.KAFKA_TOPICS_CREATE).toBe(false);
    const plan = topicPlanOf(c);
    expect(plan.find((t) => t.name === TOPICS.repcardCustomers)).toMatchObject({
      partitions: 12,
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
    expect(plan.find((t) => t.name === TOPICS.syncCommands)).toMatchObject({
      partitions: 3,
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
  });
});
