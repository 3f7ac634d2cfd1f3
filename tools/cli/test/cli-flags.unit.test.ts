import { SOURCES } from '@tributary/contracts';
import {
  CURAGENESIS_USAGE,
  REPCARD_USAGE,
  UsageError,
  cliFlags,
  parseCuragenesisArgs,
  parseRepcardArgs,
} from '../src/args';

const USAGE = { repcard: REPCARD_USAGE, curagenesis: CURAGENESIS_USAGE } as const;

describe('sync CLI flags from the sync-options schema', () => {
  it('when CuraGenesis is asked to skip practices or orders, then only the other one is synced', () => {
    expect(parseCuragenesisArgs(['--skip-practices']).entities).toEqual(['orders']);
    expect(parseCuragenesisArgs(['--skip-orders', '--no-wait'])).toMatchObject({
      entities: ['practices'],
      wait: false,
    });
  });

  it('when CuraGenesis skips both entities, then nothing is left to sync and it is a usage error', () => {
    expect(() => parseCuragenesisArgs(['--skip-practices', '--skip-orders'])).toThrow(
      new UsageError('every entity is skipped: nothing to sync'),
    );
  });

  it.each(SOURCES)('when --help of %s is printed, then it lists every flag the CLI takes', (source) => {
    for (const flag of cliFlags(source)) expect(USAGE[source]).toContain(`  ${flag} `);
  });

  it('when a date is wrong or missing, then the message names the flag as typed', () => {
    expect(() => parseRepcardArgs(['--end-date=2025-02-30'])).toThrow(
      '--end-date: "2025-02-30" is not a date YYYY-MM-DD',
    );
    expect(() => parseRepcardArgs(['--start-date', '--skip-users'])).toThrow(
      '--start-date needs a date YYYY-MM-DD',
    );
    expect(() => parseRepcardArgs(['--start-date', '2025-03-01', '--end-date', '2025-02-01'])).toThrow(
      '--start-date 2025-03-01 is after --end-date 2025-02-01',
    );
  });

  it('when -h, a positional word or a flag of the other CLI is given, then help is asked or the word is refused', () => {
    expect(parseRepcardArgs(['-h']).help).toBe(true);
    expect(() => parseRepcardArgs(['users'])).toThrow('unknown option users (see --help)');
    expect(() => parseRepcardArgs(['--force'])).toThrow('unknown option --force (see --help)');
    expect(() => parseRepcardArgs(['--skip-orders'])).toThrow('unknown option --skip-orders (see --help)');
  });
});
