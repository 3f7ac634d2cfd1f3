import { mapColumns } from '../src/core/field-table';
import type { Json } from '../src/core/json';
import { REPCARD_TABLES } from '../src/projections/repcard/tables';

/** The RepCard row mappers: a record through its entity's field table (full rows, invalid → null). */
const rowOf = (entity: keyof typeof REPCARD_TABLES, record: Json) => {
  const spec = REPCARD_TABLES[entity];
  return mapColumns(spec.fields, record, spec.columns).row;
};

const appointment = (over: Json) => ({ id: 500, startAtTimezone: 'America/Denver', ...over });

describe('RepCard appointment times', () => {
  it.each([
    ['summer (MDT, UTC-6)', '2024-05-17 20:45:00', '2024-05-18T02:45:00.000Z'],
    ['winter (MST, UTC-7)', '2024-01-17 20:45:00', '2024-01-18T03:45:00.000Z'],
    ['the evening before the spring switch', '2024-03-09 23:30:00', '2024-03-10T06:30:00.000Z'],
    ['the morning after the spring switch', '2024-03-10 03:30:00', '2024-03-10T09:30:00.000Z'],
    [
      'a wall-clock time the spring switch skips (02:30), read at the MST offset',
      '2024-03-10 02:30:00',
      '2024-03-10T08:30:00.000Z',
    ],
    [
      'a wall-clock time the autumn switch repeats (01:30), read as its first (MDT) occurrence',
      '2024-11-03 01:30:00',
      '2024-11-03T07:30:00.000Z',
    ],
    ['the hour after the autumn switch', '2024-11-03 02:30:00', '2024-11-03T09:30:00.000Z'],
    ['a T separator and no seconds', '2024-05-17T20:45', '2024-05-18T02:45:00.000Z'],
  ])('when an appointment starts %s, then scheduled_at is its UTC instant', (_when, startAt, utc) => {
    const row = rowOf('appointments', appointment({ startAt }));
    expect(row.scheduled_at).toBe(utc);
    expect(row.start_at_local).toBe(startAt);
    expect(row.timezone).toBe('America/Denver');
  });

  it('when the end has its own zone, then it is read there, else in the start zone', () => {
    const own = rowOf(
      'appointments',
      appointment({ endAt: '2024-05-17 21:45:00', endAtTimezone: 'Europe/Berlin' }),
    );
    expect(own.scheduled_end_at).toBe('2024-05-17T19:45:00.000Z');
    const inherited = rowOf('appointments', appointment({ endAt: '2024-05-17 21:45:00' }));
    expect(inherited.scheduled_end_at).toBe('2024-05-18T03:45:00.000Z');
  });

  it('when the zone is missing or unknown, then the wall clock is read as UTC', () => {
    expect(rowOf('appointments', { id: 1, startAt: '2024-05-17 20:45:00' }).scheduled_at).toBe(
      '2024-05-17T20:45:00.000Z',
    );
    expect(
      rowOf('appointments', appointment({ startAt: '2024-05-17 20:45:00', startAtTimezone: 'Mars/Olympus' }))
        .scheduled_at,
    ).toBe('2024-05-17T20:45:00.000Z');
  });

  it('when startAt is no wall-clock time, then it is read as a timestamp (or null)', () => {
    expect(rowOf('appointments', appointment({ startAt: '2024-05-17' })).scheduled_at).toBe(
      '2024-05-17T00:00:00.000Z',
    );
    expect(rowOf('appointments', appointment({ startAt: 'soon' })).scheduled_at).toBeNull();
  });
});

describe('RepCard timestamps', () => {
  it.each([
    ['with microseconds and Z', '2019-01-10T18:33:31.000000Z', '2019-01-10T18:33:31.000Z'],
    ['with an offset across a DST switch', '2024-03-10T03:30:00-06:00', '2024-03-10T09:30:00.000Z'],
    ['with a compact offset', '2024-05-17T20:45:00+0200', '2024-05-17T18:45:00.000Z'],
    ['without an offset (read as UTC)', '2024-05-17 20:45:00', '2024-05-17T20:45:00.000Z'],
    ['a date alone (its UTC midnight)', '2024-05-17', '2024-05-17T00:00:00.000Z'],
    ['epoch milliseconds', 1_715_978_700_000, '2024-05-17T20:45:00.000Z'],
    ['a zero date (RepCard sends them)', '0000-00-00 00:00:00', null],
    ['not a date', 'yesterday', null],
    ['empty', '', null],
  ])('when createdAt is %s, then the column holds %j', (_what, createdAt, expected) => {
    expect(rowOf('customers', { id: 1, createdAt }).created_at).toBe(expected);
  });
});

describe('RepCard rows', () => {
  it('when a customer has no fullName, then its name is first and last name', () => {
    expect(rowOf('customers', { id: 1, firstName: 'Ann', lastName: 'Doe' }).name).toBe('Ann Doe');
    expect(rowOf('customers', { id: 1, fullName: 'A. Doe', firstName: 'Ann' }).name).toBe('A. Doe');
    expect(rowOf('customers', { id: 1 }).name).toBeNull();
  });

  it('when a field the column cannot hold is present, then the column is null (the record is kept)', () => {
    const row = rowOf('customers', { id: 1, latitude: 'north', userId: 'abc', createdAt: { at: 1 } });
    expect(row).toMatchObject({
      latitude: null,
      setter_user_id: null,
      created_at: null,
      repcard_customer_id: 1,
    });
  });

  it('when a label comes as a number, then it is stored as text', () => {
    expect(rowOf('appointments', { id: 1, durationTime: 60 }).duration).toBe('60');
    expect(rowOf('customers', { id: 1, externalId: 42 }).external_id).toBe('42');
  });

  it('when a user names its office and team as objects or strings, then ids and names come from either', () => {
    expect(rowOf('users', { id: 1, office: { id: 3, name: 'North' }, team: 'Reds' })).toMatchObject({
      office_id: 3,
      office_name: 'North',
      team_name: 'Reds',
    });
    expect(rowOf('users', { id: 1, officeId: '4', office: 'South', officeTeamId: 41 })).toMatchObject({
      office_id: 4,
      office_name: 'South',
      team_id: 41,
    });
  });

  it.each([
    [1, 1],
    ['0', 0],
    [true, 1],
    [false, 0],
    ['yes', null],
  ])('when a user status is %j, then the column holds %j', (status, expected) => {
    expect(rowOf('users', { id: 1, status }).status).toBe(expected);
  });

  it('when an attachment has no file name, then it comes from its URL (or a customer attachment title) with its type', () => {
    expect(
      rowOf('appointment_attachments', { id: 9, attachmentUrl: 'https://x/a/My%20bill.pdf?sig=1' }),
    ).toMatchObject({
      file_name: 'My bill.pdf',
      attachment_type: 'document',
    });
    expect(rowOf('customer_attachments', { id: 9, title: 'roof.jpg' })).toMatchObject({
      file_name: 'roof.jpg',
      attachment_type: 'image',
    });
    expect(
      rowOf('customer_attachments', { id: 9, attachmentInfo: { fileName: 'a.bin' }, type: 'contract' }),
    ).toMatchObject({
      file_name: 'a.bin',
      attachment_type: 'contract',
    });
  });

  it('when a status log names its statuses, then ids and names are read from the nested objects', () => {
    const row = rowOf('status_logs', {
      _id: '65a1',
      customerId: 3,
      statusFrom: { id: 1, statusName: 'New' },
      statusTo: { id: 2, title: 'Sold' },
    });
    expect(row).toMatchObject({
      repcard_log_id: '65a1',
      status_from_id: 1,
      status_from: 'New',
      status_to_id: 2,
      status_to: 'Sold',
    });
  });

  it('when a record is mapped, then every column is present (a full row), in one order for all records', () => {
    const a = rowOf('customers', { id: 1 });
    const b = rowOf('customers', { id: 2, fullName: 'B', createdAt: '2024-01-01T00:00:00Z' });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(Object.keys(a)).toHaveLength(24);
  });
});
