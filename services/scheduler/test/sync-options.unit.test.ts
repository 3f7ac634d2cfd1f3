import { REPCARD_ENTITIES } from '@tributary/contracts';
import { ValidationError } from '@tributary/core';
import { mergeRequestOptions, parseSyncOptions } from '../src/domain/sync-options';

const defaults = { requestedBy: { api: 'admin-api', manual: 'dashboard' } };
const repcard = (raw: Record<string, unknown>) => parseSyncOptions('repcard', raw, defaults);

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return String(err.details.field);
    throw err;
  }
  throw new Error('accepted');
}

describe('parseSyncOptions', () => {
  it('when no option is given, then it is a full sync of every RepCard entity in sync order, by the API', () => {
    expect(repcard({})).toEqual({
      mode: 'full',
      entities: [...REPCARD_ENTITIES],
      from: null,
      to: null,
      force: false,
      trigger: 'api',
      requestedBy: 'admin-api',
    });
  });

  it('when incremental=true comes from the query string, then the mode is incremental', () => {
    expect(repcard({ incremental: 'true' }).mode).toBe('incremental');
    expect(repcard({ incremental: '1' }).mode).toBe('incremental');
    expect(repcard({ incremental: '' }).mode).toBe('incremental');
    expect(repcard({ incremental: 'false' }).mode).toBe('full');
    expect(repcard({ incremental: true }).mode).toBe('incremental');
  });

  it('when skip flags are set, then those entities are left out and the rest keep RepCard order', () => {
    expect(repcard({ skipUsers: 'true', skipStatusLogs: true }).entities).toEqual([
      'offices',
      'customers',
      'appointments',
      'customer_attachments',
      'appointment_attachments',
    ]);
    expect(
      repcard({ skipOffices: 'true', skipCustomers: 'true', skipAppointments: 'true' }).entities,
    ).toEqual(['users', 'status_logs', 'customer_attachments', 'appointment_attachments']);
  });

  it('when skipAttachments is set, then both attachment kinds are skipped; each one alone skips only itself', () => {
    expect(repcard({ skipAttachments: 'true' }).entities).toEqual([
      'users',
      'offices',
      'customers',
      'appointments',
      'status_logs',
    ]);
    expect(repcard({ skipCustomerAttachments: 'true' }).entities).not.toContain('customer_attachments');
    expect(repcard({ skipCustomerAttachments: 'true' }).entities).toContain('appointment_attachments');
    expect(repcard({ skipAppointmentAttachments: 'true' }).entities).toEqual([
      'users',
      'offices',
      'customers',
      'appointments',
      'status_logs',
      'customer_attachments',
    ]);
  });

  it('when a skip flag is false, then nothing is skipped', () => {
    expect(repcard({ skipUsers: 'false' }).entities).toContain('users');
  });

  it('when every entity is skipped, then the request is refused', () => {
    const all = {
      skipUsers: 1,
      skipOffices: 1,
      skipCustomers: 1,
      skipAppointments: 1,
      skipStatusLogs: 1,
      skipAttachments: 1,
    };
    const raw = Object.fromEntries(Object.entries(all).map(([k]) => [k, 'true']));
    expect(() => repcard(raw)).toThrow(/every entity is skipped/);
  });

  it('when a date window is given, then both ends are kept', () => {
    expect(repcard({ startDate: '2025-01-01', endDate: '2025-12-31' })).toMatchObject({
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(repcard({ startDate: '2025-02-28' })).toMatchObject({ from: '2025-02-28', to: null });
  });

  it.each([
    [{ startDate: '2025-13-01' }, 'startDate'],
    [{ startDate: '2025-02-30' }, 'startDate'],
    [{ startDate: '01/02/2025' }, 'startDate'],
    [{ endDate: 'tomorrow' }, 'endDate'],
    [{ startDate: '2025-06-01', endDate: '2025-05-01' }, 'endDate'],
    [{ incremental: 'yes' }, 'incremental'],
    [{ skipUsers: 'maybe' }, 'skipUsers'],
    [{ force: 3 }, 'force'],
    [{ trigger: 'schedule' }, 'trigger'],
    [{ requestedBy: '' }, 'requestedBy'],
    [{ skipUser: 'true' }, 'skipUser'],
    [{ skipPractices: 'true' }, 'skipPractices'],
  ])('when given %j, then it is refused naming %s', (raw, field) => {
    expect(fieldOf(() => repcard(raw))).toBe(field);
    expect(() => repcard(raw)).toThrow(new RegExp(`^${field}: `));
  });

  it('when a RepCard flag is sent for CuraGenesis, then the message says whose option it is', () => {
    expect(() => parseSyncOptions('curagenesis', { skipUsers: 'true' }, defaults)).toThrow(
      /skipUsers: not an option of curagenesis \(it is one of repcard\)/,
    );
  });

  it('when CuraGenesis is forced by the dashboard, then force, trigger manual and the dashboard as requester are kept', () => {
    expect(parseSyncOptions('curagenesis', { force: true, trigger: 'manual' }, defaults)).toEqual({
      mode: 'full',
      entities: ['practices', 'orders'],
      from: null,
      to: null,
      force: true,
      trigger: 'manual',
      requestedBy: 'dashboard',
    });
  });

  it('when requestedBy is given, then it names the requester', () => {
    expect(repcard({ requestedBy: ' ops-team ' }).requestedBy).toBe('ops-team');
  });
});

describe('mergeRequestOptions', () => {
  it('when a field is in both the query and the body, then the body wins', () => {
    expect(mergeRequestOptions({ incremental: 'true', skipUsers: 'true' }, { incremental: false })).toEqual({
      incremental: false,
      skipUsers: 'true',
    });
  });

  it('when a query parameter is repeated, then it is refused naming it', () => {
    expect(fieldOf(() => mergeRequestOptions({ startDate: ['2025-01-01', '2025-01-02'] }, undefined))).toBe(
      'startDate',
    );
  });

  it('when the body is not an object, then it is refused', () => {
    expect(fieldOf(() => mergeRequestOptions({}, ['x']))).toBe('body');
    expect(fieldOf(() => mergeRequestOptions({}, 'x'))).toBe('body');
  });
});
