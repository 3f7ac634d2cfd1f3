import { ConfigError } from '@tributary/core';
import { loadConfig } from '@tributary/config';
import { projectorConfigSchema } from '../src/config';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
};

describe('projector config', () => {
  it('when nothing is set, then a backlog runs 3 transactions side by side on a pool of 5, with 8 MiB fetches', () => {
    expect(loadConfig(projectorConfigSchema, base)).toMatchObject({
      PROJECTOR_PARALLEL_TRANSACTIONS: 3,
      PROJECTOR_DB_POOL_SIZE: 5,
      PROJECTOR_FETCH_MAX_BYTES: 8 << 20,
      PROJECTOR_FETCH_MAX_BYTES_PER_PARTITION: 2 << 20,
    });
  });

  it('when the parallel transactions would take every connection of the pool, then a ConfigError names PROJECTOR_PARALLEL_TRANSACTIONS', () => {
    const load = () =>
      loadConfig(projectorConfigSchema, {
        ...base,
        PROJECTOR_PARALLEL_TRANSACTIONS: '4',
        PROJECTOR_DB_POOL_SIZE: '4',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^PROJECTOR_PARALLEL_TRANSACTIONS: must be below PROJECTOR_DB_POOL_SIZE \(4\)/);
  });

  it('when one transaction at a time is asked for, then it is accepted', () => {
    expect(
      loadConfig(projectorConfigSchema, { ...base, PROJECTOR_PARALLEL_TRANSACTIONS: '1' }),
    ).toMatchObject({ PROJECTOR_PARALLEL_TRANSACTIONS: 1 });
  });
});
