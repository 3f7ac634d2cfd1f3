import { ingestSettings, type IngestConfig } from '../src/ingest-settings';

describe('ingestSettings', () => {
  it('when a service config follows the naming of its source, then every ingest setting is read from it', () => {
    const config: IngestConfig<'curagenesis'> = {
      KAFKA_BROKERS: ['k:9092'],
      SCHEMA_REGISTRY_URL: 'http://registry',
      INGEST_CURAGENESIS_GROUP_ID: 'group',
      INGEST_CURAGENESIS_TRANSACTIONAL_ID: 'tx',
      INGEST_CURAGENESIS_SESSION_TIMEOUT_MS: 30_000,
      CURAGENESIS_API_URL: 'http://api',
      CURAGENESIS_RATE_LIMIT: 1200,
      CURAGENESIS_RATE_PERIOD_MS: 60_000,
      CURAGENESIS_TIMEOUT_MS: 5_000,
    };
    expect(ingestSettings('curagenesis', config)).toEqual({
      name: 'ingest-curagenesis',
      brokers: ['k:9092'],
      registryUrl: 'http://registry',
      groupId: 'group',
      transactionalId: 'tx',
      sessionTimeoutMs: 30_000,
      api: { baseUrl: 'http://api', rateLimit: 1200, ratePeriodMs: 60_000, timeoutMs: 5_000 },
    });
  });
});
