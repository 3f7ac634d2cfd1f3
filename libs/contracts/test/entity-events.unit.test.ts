import {
  RecordObservedContract,
  TOPICS,
  contractFor,
  deletionEventId,
  isRecordDeleted,
  type RecordDeleted,
} from '@tributary/contracts';
import { recordObserved } from './examples';
import { expectFieldError } from './expect-field';

const customers = RecordObservedContract(TOPICS.repcardCustomers);

const deleted: RecordDeleted = {
  type: 'RecordDeleted',
  version: 1,
  eventId: deletionEventId('repcard', 'customers', '48213', 'sync-1'),
  source: 'repcard',
  entity: 'customers',
  id: '48213',
  deletedAt: '2024-05-18T02:00:00.000Z',
  syncId: 'sync-1',
  observedAt: '2024-05-18T02:10:00.000Z',
};

describe('entity topic events (ADR 0024)', () => {
  it('when a RecordDeleted is decoded on its entity topic, then it comes back equal (not upcast as RecordObserved v1)', () => {
    expect(customers.decode(deleted)).toEqual(deleted);
    expect(contractFor(TOPICS.repcardCustomers).decode(deleted)).toEqual(deleted);
    expect(isRecordDeleted(deleted)).toBe(true);
    expect(isRecordDeleted(recordObserved)).toBe(false);
  });

  it('when a RecordDeleted names another entity, then decoding names entity', () => {
    expectFieldError(() => customers.decode({ ...deleted, entity: 'users' }), 'entity');
  });

  it('when a RecordDeleted lacks deletedAt, then it is refused', () => {
    const { deletedAt: _d, ...bad } = deleted;
    expect(() => customers.decode(bad)).toThrow();
  });

  it('when a repair observation is decoded, then origin repair is accepted', () => {
    const repair = { ...recordObserved, origin: 'repair', syncId: null };
    expect(customers.decode(repair)).toEqual(repair);
  });

  it('when the same deletion is named twice, then its event id is the same uuid; another run gives another', () => {
    const id = deletionEventId('repcard', 'customers', '1', 's');
    expect(deletionEventId('repcard', 'customers', '1', 's')).toBe(id);
    expect(deletionEventId('repcard', 'customers', '1', 't')).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('when the registered JSON Schema is read, then it is one object admitting both event types', () => {
    const json = customers.jsonSchema() as {
      type: string;
      properties: Record<string, { enum?: unknown[] }>;
      required: string[];
    };
    expect(json.type).toBe('object');
    expect(json.properties.type!.enum).toEqual(['RecordObserved', 'RecordDeleted']);
    expect(json.properties).toHaveProperty('deletedAt');
    expect(json.required).not.toContain('payload');
    expect(json.required).toEqual(expect.arrayContaining(['eventId', 'id', 'observedAt']));
  });
});
