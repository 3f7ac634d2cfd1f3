import { ConfigError } from '@tributary/core';
import { readEnv } from '../src/env';

describe('environment', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    expect(readEnv({})).toEqual({
      port: 4010,
      host: '127.0.0.1',
      options: {
        seed: 42,
        size: 5000,
        apiKey: 'sim-repcard-key',
        rateLimit: 100,
        ratePeriodMs: 60_000,
        latencyMs: 0,
      },
    });
  });

  it('when values are set, then they are read (empty ones count as unset)', () => {
    const env = readEnv({
      SIM_REPCARD_PORT: '0',
      SIM_REPCARD_SIZE: '1000000',
      SIM_REPCARD_SEED: '',
      SIM_REPCARD_API_KEY: 'k',
    });
    expect(env).toMatchObject({ port: 0, options: { size: 1_000_000, seed: 42, apiKey: 'k' } });
  });

  it.each([
    ['SIM_REPCARD_PORT', 'abc'],
    ['SIM_REPCARD_PORT', '70000'],
    ['SIM_REPCARD_SIZE', '-1'],
    ['SIM_REPCARD_RATE_LIMIT', '0'],
    ['SIM_REPCARD_LATENCY_MS', '1.5'],
    ['SIM_REPCARD_NOW', 'yesterday'],
  ])('when %s is %s, then a ConfigError names the variable', (variable, value) => {
    expect(() => readEnv({ [variable]: value })).toThrow(ConfigError);
    expect(() => readEnv({ [variable]: value })).toThrow(new RegExp(`^${variable}: `));
  });
});
