import {
  REPCARD_ENTITIES,
  REPCARD_RECORD_SCHEMAS,
  recordCheck,
  recordSchema,
  repcardRecordId,
  repcardUpdatedAt,
} from '@tributary/contracts';
import { expectFieldError } from './expect-field';

const UPDATED = '2024-05-17T20:45:09.000000Z';

/** One record per entity, shaped as API-NOTES.md describes. */
const valid = {
  users: {
    id: 311,
    firstName: 'Ari',
    lastName: 'Lund',
    email: 'ari@example.com',
    officeId: 4,
    status: 1,
    role: 'Setter',
  },
  offices: { id: 4, officeName: 'Provo', officeCity: 'Provo', officeState: 'UT', fullPathOfficeLogo: null },
  customers: {
    id: 48213,
    firstName: 'Dana',
    userId: 311,
    latitude: '40.23',
    createdAt: UPDATED,
    updatedAt: UPDATED,
  },
  appointments: {
    id: 9001,
    userId: 311,
    closerId: null,
    contact: { id: 48213, fullName: 'Dana Whitfield' },
    startAt: '2024-05-17 20:45:00',
    startAtTimezone: 'America/Denver',
    status: { id: 3, title: 'Sat', category: { id: 1, title: 'Good' } },
    updatedAt: UPDATED,
  },
  status_logs: {
    _id: '6647a1f0c2e4b8a1d9f0e123',
    customerId: 48213,
    statusFrom: null,
    statusTo: { id: 12, statusName: 'Set' },
    updatedAt: UPDATED,
  },
  customer_attachments: {
    id: 77,
    attachmentUrl: 'https://cdn.example.com/bill.pdf',
    userId: 311,
    customerId: 48213,
  },
  appointment_attachments: {
    id: 78,
    attachmentUrl: 'https://cdn.example.com/roof.jpg',
    type: 'image',
    appointmentId: 9001,
  },
} as const;

describe('RepCard record schemas', () => {
  it.each(REPCARD_ENTITIES.map((e) => [e] as const))(
    'when a %s record is valid, then it parses untouched',
    (entity) => {
      const withExtra = { ...valid[entity], somethingNew: { nested: true } };
      expect(REPCARD_RECORD_SCHEMAS[entity].parse(withExtra)).toEqual(withExtra);
    },
  );

  it.each(REPCARD_ENTITIES.filter((e) => e !== 'status_logs').map((e) => [e] as const))(
    'when a %s record has a string id, then it is malformed at id',
    (entity) => {
      const result = REPCARD_RECORD_SCHEMAS[entity].safeParse({ ...valid[entity], id: 'abc' });
      expect(result.error?.issues[0]?.path).toEqual(['id']);
    },
  );

  it('when a status log has a numeric _id, then it is malformed at _id', () => {
    const result = REPCARD_RECORD_SCHEMAS.status_logs.safeParse({ ...valid.status_logs, _id: 5 });
    expect(result.error?.issues[0]?.path).toEqual(['_id']);
  });

  it('when an appointment contact is not an object, then it is malformed at contact', () => {
    const result = REPCARD_RECORD_SCHEMAS.appointments.safeParse({ ...valid.appointments, contact: 'Dana' });
    expect(result.error?.issues[0]?.path).toEqual(['contact']);
  });

  it('when reading ids, then they are strings from id or _id', () => {
    expect(repcardRecordId('customers', valid.customers)).toBe('48213');
    expect(repcardRecordId('status_logs', valid.status_logs)).toBe('6647a1f0c2e4b8a1d9f0e123');
  });

  it('when the id is missing, then repcardRecordId names the field', () => {
    expectFieldError(() => repcardRecordId('appointments', { title: 'x' }), 'id');
    expectFieldError(() => repcardRecordId('status_logs', { id: 1 }), '_id');
  });

  it('when reading updatedAt, then users and offices have none and others return the ISO value', () => {
    expect(repcardUpdatedAt('users', { ...valid.users, updatedAt: UPDATED })).toBeNull();
    expect(repcardUpdatedAt('offices', valid.offices)).toBeNull();
    expect(repcardUpdatedAt('customers', valid.customers)).toBe(UPDATED);
    expect(repcardUpdatedAt('status_logs', valid.status_logs)).toBe(UPDATED);
    expect(repcardUpdatedAt('customer_attachments', valid.customer_attachments)).toBeNull();
  });

  it('when updatedAt is not an ISO timestamp, then repcardUpdatedAt returns null', () => {
    expect(repcardUpdatedAt('appointments', { id: 1, updatedAt: '2024-05-17 20:45:00' })).toBeNull();
    expect(repcardUpdatedAt('customers', null)).toBeNull();
  });

  it.each(REPCARD_ENTITIES.map((e) => [e] as const))(
    "when a %s record is checked by recordCheck, then its verdict and issues are the schema's",
    (entity) => {
      const base = { ...valid[entity], somethingNew: { nested: true } };
      const cases: unknown[] = [
        base,
        { ...base, id: 'abc' },
        { ...base, _id: 5 },
        { ...base, userId: { not: 'a ref' }, createdAt: 7 },
        { ...base, contact: 'x', status: [1] },
        null,
        'a string',
      ];
      for (const record of cases) {
        const schema = recordSchema('repcard', entity).safeParse(record);
        const check = recordCheck('repcard', entity).safeParse(record);
        expect(check.success).toBe(schema.success);
        expect(check.error?.issues).toEqual(schema.error?.issues);
      }
      expect(cases.some((r) => !recordCheck('repcard', entity).safeParse(r).success)).toBe(true);
      expect(recordCheck('repcard', entity).safeParse(base).success).toBe(true);
    },
  );
});
