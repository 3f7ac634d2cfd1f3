import { loadConfig } from '@tributary/config';
import { schedulerConfigSchema } from '../src/config';

const base = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  ADMIN_PASSWORD: 'a-real-admin-password',
};

describe('scheduler config', () => {
  it('when only the servers are set, then the documented defaults apply', () => {
    const c = loadConfig(schedulerConfigSchema, base);
    expect(c.PORT).toBe(3000);
    expect(c.SCHEDULE_INCREMENTAL_CRON.expression).toBe('0 */6 * * *');
    expect(c.SCHEDULE_FULL_CRON.expression).toBe('0 2 * * *');
    expect(c.SCHEDULE_ENABLED).toBe(true);
    expect(c.SCHEDULE_SOURCES).toEqual(['repcard', 'curagenesis']);
    expect(c.ADMIN_TOKEN).toBeUndefined();
  });

  it('when a cron variable is invalid, then the error names the variable and the field', () => {
    expect(() => loadConfig(schedulerConfigSchema, { ...base, SCHEDULE_FULL_CRON: '0 25 * * *' })).toThrow(
      /^SCHEDULE_FULL_CRON: hour: 25 is out of range 0-23 \(given "0 25 \* \* \*"\)/,
    );
    expect(() =>
      loadConfig(schedulerConfigSchema, { ...base, SCHEDULE_INCREMENTAL_CRON: 'every 6 hours' }),
    ).toThrow(/^SCHEDULE_INCREMENTAL_CRON: /);
  });

  it('when the schedule is switched off or narrowed, then that is what is parsed', () => {
    const c = loadConfig(schedulerConfigSchema, {
      ...base,
      SCHEDULE_ENABLED: 'false',
      SCHEDULE_SOURCES: ' CuraGenesis , curagenesis ',
    });
    expect(c.SCHEDULE_ENABLED).toBe(false);
    expect(c.SCHEDULE_SOURCES).toEqual(['curagenesis']);
  });

  it('when a source is unknown or SCHEDULE_ENABLED is not a boolean, then the variable is named', () => {
    expect(() =>
      loadConfig(schedulerConfigSchema, { ...base, SCHEDULE_SOURCES: 'repcard,salesforce' }),
    ).toThrow(/^SCHEDULE_SOURCES: .*"salesforce" is not one/);
    expect(() => loadConfig(schedulerConfigSchema, { ...base, SCHEDULE_ENABLED: 'yes' })).toThrow(
      /^SCHEDULE_ENABLED: /,
    );
  });

  it('when ADMIN_TOKEN is too short, then it is refused without showing it', () => {
    let message = '';
    try {
      loadConfig(schedulerConfigSchema, { ...base, ADMIN_TOKEN: 'short' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^ADMIN_TOKEN: must be at least 12 characters/);
    expect(message).not.toContain('short"');
  });
});
