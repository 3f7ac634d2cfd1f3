import { ConfigError } from '@tributary/core';
import { z } from 'zod';
import {
  booleanVar,
  databaseEnv,
  httpEnv,
  kafkaEnv,
  loadConfig,
  logEnv,
  positiveIntVar,
  registryEnv,
} from '../src';

const schema = z.object({
  ...kafkaEnv,
  ...registryEnv,
  ...databaseEnv,
  ...httpEnv(8080),
  ...logEnv,
  REPCARD_API_KEY: z.string().min(32),
  BATCH_SIZE: positiveIntVar(500),
  DRY_RUN: booleanVar(false),
});

const valid = {
  KAFKA_BROKERS: 'localhost:9092, kafka-2:19092',
  SCHEMA_REGISTRY_URL: 'http://localhost:8081',
  DATABASE_URL: 'postgres://tributary:pw@localhost:5432/tributary',
  REPCARD_API_KEY: 'k'.repeat(40),
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('when every variable is valid, then it returns typed values with defaults applied', () => {
    const config = loadConfig(schema, valid);
    expect(config).toEqual({
      KAFKA_BROKERS: ['localhost:9092', 'kafka-2:19092'],
      KAFKA_CLIENT_ID: undefined,
      SCHEMA_REGISTRY_URL: 'http://localhost:8081',
      DATABASE_URL: 'postgres://tributary:pw@localhost:5432/tributary',
      PORT: 8080,
      LOG_LEVEL: 'info',
      REPCARD_API_KEY: 'k'.repeat(40),
      BATCH_SIZE: 500,
      DRY_RUN: false,
    });
  });

  it('when strings hold numbers and booleans, then they are coerced', () => {
    const config = loadConfig(schema, {
      ...valid,
      PORT: '3001',
      BATCH_SIZE: '25',
      DRY_RUN: '1',
      LOG_LEVEL: 'debug',
    });
    expect(config.PORT).toBe(3001);
    expect(config.BATCH_SIZE).toBe(25);
    expect(config.DRY_RUN).toBe(true);
    expect(config.LOG_LEVEL).toBe('debug');
    expect(loadConfig(schema, { ...valid, DRY_RUN: 'FALSE' }).DRY_RUN).toBe(false);
  });

  it('when a value is bad, then the error names the variable, what is wrong and what was given', () => {
    const err = configError({ ...valid, PORT: '70000' });
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.variable).toBe('PORT');
    expect(err.message).toBe(
      'PORT: must be a TCP port, an integer 0..65535 (0: any free port) (given "70000")',
    );
  });

  it('when a required variable is missing, then the error says it is not set', () => {
    const { KAFKA_BROKERS: _omitted, ...rest } = valid;
    expect(configError(rest).message).toBe('KAFKA_BROKERS: is required but not set');
  });

  it('when a variable is set to the empty string, then it counts as not set', () => {
    expect(loadConfig(schema, { ...valid, PORT: '' }).PORT).toBe(8080);
    expect(configError({ ...valid, DATABASE_URL: '' }).message).toBe('DATABASE_URL: is required but not set');
  });

  it('when several variables are bad, then every one is named in one message', () => {
    const err = configError({
      ...valid,
      KAFKA_BROKERS: 'localhost',
      DATABASE_URL: 'mysql://h/db',
      BATCH_SIZE: '0',
    });
    expect(err.variable).toBe('KAFKA_BROKERS');
    expect(err.message).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port');
    expect(err.message).toContain(
      'DATABASE_URL: must be a postgres:// or postgresql:// URL (given "mysql://h/db")',
    );
    expect(err.message).toContain('BATCH_SIZE: must be a positive integer (given "0")');
  });

  it('when a secret variable is bad, then its value is masked', () => {
    const err = configError({ ...valid, REPCARD_API_KEY: 'short-secret' });
    expect(err.message).toContain('REPCARD_API_KEY:');
    expect(err.message).toContain('(given "***")');
    expect(err.message).not.toContain('short-secret');
  });

  it('when a URL with a password is bad, then the password is not shown', () => {
    const err = configError({ ...valid, DATABASE_URL: 'mysql://app:hunter2@db:3306/x' });
    expect(err.message).toContain('"mysql://app:***@db:3306/x"');
    expect(err.message).not.toContain('hunter2');
  });

  it('when a boolean is not true/false/1/0, then it is refused', () => {
    expect(configError({ ...valid, DRY_RUN: 'yes' }).message).toBe(
      'DRY_RUN: must be true, false, 1 or 0 (given "yes")',
    );
  });

  it('when an integer has trailing junk, then it is refused rather than truncated', () => {
    expect(configError({ ...valid, BATCH_SIZE: '12abc' }).message).toBe(
      'BATCH_SIZE: must be a positive integer (given "12abc")',
    );
  });

  it('when a broker list has a bad entry, then the entry is named', () => {
    expect(configError({ ...valid, KAFKA_BROKERS: 'a:9092,b:99999' }).message).toContain('"b:99999" is not');
  });

  it('when SCHEMA_REGISTRY_URL is not http(s), then it is refused', () => {
    expect(configError({ ...valid, SCHEMA_REGISTRY_URL: 'ftp://x' }).variable).toBe('SCHEMA_REGISTRY_URL');
  });
});
