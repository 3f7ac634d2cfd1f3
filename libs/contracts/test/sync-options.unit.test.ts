import type { z } from 'zod';
import {
  CURAGENESIS_ENTITIES,
  REPCARD_ENTITIES,
  SKIP_FLAGS,
  SOURCES,
  SYNC_OPTION_RULES,
  entitiesWithout,
  firstSyncOptionIssue,
  requestedEntities,
  skipFlagOwner,
  syncOptionIssueField,
  syncOptionNames,
  syncOptionsSchema,
} from '../src/index';

function issueOf(source: 'repcard' | 'curagenesis', raw: Record<string, unknown>): z.core.$ZodIssue {
  const result = syncOptionsSchema(source).safeParse(raw);
  if (result.success) throw new Error(`accepted ${JSON.stringify(raw)}`);
  return firstSyncOptionIssue(result.error);
}

describe('syncOptionsSchema', () => {
  it('when no option is given, then it is a full, unforced sync of every entity in sync order, open window', () => {
    expect(syncOptionsSchema('repcard').parse({})).toEqual({
      mode: 'full',
      entities: [...REPCARD_ENTITIES],
      from: null,
      to: null,
      force: false,
    });
    expect(syncOptionsSchema('curagenesis').parse({}).entities).toEqual([...CURAGENESIS_ENTITIES]);
  });

  it('when incremental, force and a window are given, then they are resolved as asked', () => {
    expect(
      syncOptionsSchema('curagenesis').parse({
        incremental: true,
        force: true,
        startDate: '2024-02-29',
        endDate: '2024-02-29',
      }),
    ).toEqual({
      mode: 'incremental',
      entities: ['practices', 'orders'],
      from: '2024-02-29',
      to: '2024-02-29',
      force: true,
    });
  });

  it('when CuraGenesis skips practices or orders, then only the other one is synced', () => {
    expect(syncOptionsSchema('curagenesis').parse({ skipPractices: true }).entities).toEqual(['orders']);
    expect(
      syncOptionsSchema('curagenesis').parse({ skipOrders: true, skipPractices: false }).entities,
    ).toEqual(['practices']);
  });

  it('when RepCard skip flags are set, then the rest keep RepCard order and skipAttachments covers both kinds', () => {
    expect(syncOptionsSchema('repcard').parse({ skipAttachments: true, skipUsers: true }).entities).toEqual([
      'offices',
      'customers',
      'appointments',
      'status_logs',
    ]);
  });

  it('when every entity is skipped, then it is refused at the first skip flag given, as nothing to sync', () => {
    const issue = issueOf('curagenesis', { force: true, skipPractices: true, skipOrders: true });
    expect(syncOptionIssueField(issue)).toBe('skipPractices');
    expect(issue.message).toBe('every entity is skipped: nothing to sync');
    expect(issue).toMatchObject({ params: { rule: SYNC_OPTION_RULES.nothingToSync } });
  });

  it.each([
    [{ startDate: '2025-02-30' }, 'startDate', '"2025-02-30" is not a date YYYY-MM-DD'],
    [{ endDate: '2025-13-01' }, 'endDate', '"2025-13-01" is not a date YYYY-MM-DD'],
    [{ startDate: 20250101 }, 'startDate', 'must be a date YYYY-MM-DD (given 20250101)'],
    [{ incremental: 'true' }, 'incremental', 'must be true or false (given "true")'],
  ])('when given %j, then it is refused at %s: %s', (raw, field, message) => {
    const issue = issueOf('repcard', raw);
    expect(syncOptionIssueField(issue)).toBe(field);
    expect(issue.message).toBe(message);
  });

  it('when the window ends before it starts, then it is refused at endDate with both ends in its params', () => {
    const issue = issueOf('repcard', { startDate: '2025-06-01', endDate: '2025-05-01' });
    expect(syncOptionIssueField(issue)).toBe('endDate');
    expect(issue).toMatchObject({
      message: '2025-05-01 is before startDate 2025-06-01',
      params: { rule: SYNC_OPTION_RULES.windowOrder, from: '2025-06-01', to: '2025-05-01' },
    });
  });

  it("when another source's skip flag or an unknown option is given, then the unknown key is the issue reported", () => {
    const issue = issueOf('curagenesis', { startDate: 'bad', skipUsers: true });
    expect(issue.code).toBe('unrecognized_keys');
    expect(syncOptionIssueField(issue)).toBe('skipUsers');
    expect(skipFlagOwner('skipUsers')).toBe('repcard');
    expect(skipFlagOwner('skipUser')).toBeUndefined();
  });
});

describe('skip flags', () => {
  it.each(SOURCES)(
    'when each skip flag of %s is set alone, then it leaves out exactly its entities',
    (source) => {
      for (const [flag, skipped] of Object.entries(SKIP_FLAGS[source])) {
        const kept = entitiesWithout(source, { [flag]: true });
        expect(kept).toEqual(
          requestedEntities(source, []).filter((e) => !(skipped as readonly string[]).includes(e)),
        );
      }
    },
  );

  it('when option names are listed, then the common ones come first, then the skip flags', () => {
    expect(syncOptionNames('curagenesis')).toEqual([
      'incremental',
      'startDate',
      'endDate',
      'force',
      'skipPractices',
      'skipOrders',
    ]);
  });
});

describe('requestedEntities', () => {
  it('when a command names no entity, then every entity of the source is synced, in sync order', () => {
    expect(requestedEntities('repcard', [])).toEqual([...REPCARD_ENTITIES]);
  });

  it('when a command names entities out of order or foreign ones, then they come in sync order, foreign ones dropped', () => {
    expect(requestedEntities('repcard', ['status_logs', 'users', 'orders'])).toEqual([
      'users',
      'status_logs',
    ]);
    expect(requestedEntities('curagenesis', ['orders', 'practices'])).toEqual(['practices', 'orders']);
  });
});
