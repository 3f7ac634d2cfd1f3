import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  RecordObservedContract,
  RecordObservedSchema,
  TOPICS,
  upcastRecordObserved,
} from '@tributary/contracts';
import { recordObserved } from './examples';
import { expectFieldError } from './expect-field';

const v1 = JSON.parse(readFileSync(join(__dirname, 'fixtures/record-observed.v1.json'), 'utf8')) as Record<
  string,
  unknown
>;
const customers = RecordObservedContract(TOPICS.repcardCustomers);

describe('RecordObserved', () => {
  it('when a valid v2 event is decoded, then it comes back equal', () => {
    expect(customers.decode(recordObserved)).toEqual(recordObserved);
  });

  it('when a webhook-borne event is decoded, then syncId may be null and deliveryId set', () => {
    const fromWebhook = {
      ...recordObserved,
      source: 'curagenesis',
      entity: 'practices',
      id: 'pr_1',
      payload: { practiceId: 'pr_1' },
      sourceUpdatedAt: null,
      syncId: null,
      origin: 'webhook',
      deliveryId: 'msg_1',
    };
    expect(RecordObservedContract(TOPICS.curagenesisPractices).decode(fromWebhook)).toEqual(fromWebhook);
  });

  it('when the payload is missing, then decoding names payload', () => {
    const { payload: _p, ...bad } = recordObserved;
    expectFieldError(() => customers.decode(bad), 'payload');
  });

  it('when the event belongs to another entity topic, then decoding names entity', () => {
    expectFieldError(() => customers.decode({ ...recordObserved, entity: 'appointments' }), 'entity');
  });

  it('when the entity is not one of its source, then the generic schema names entity', () => {
    const result = RecordObservedSchema.safeParse({ ...recordObserved, entity: 'orders' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['entity']);
  });

  it('when the v1 fixture is decoded, then it is upcast to v2', () => {
    const decoded = customers.decode(v1);
    expect(decoded).toEqual({
      type: 'RecordObserved',
      version: 2,
      eventId: expect.any(String),
      source: 'repcard',
      entity: 'customers',
      id: '48213',
      payload: v1.data,
      observedAt: '2024-05-18T02:00:03.512Z',
      sourceUpdatedAt: '2024-05-17T20:45:09.000000Z',
      syncId: '9a0f3c1e-5b7d-4e2a-8c61-2f4d7b9e0a13',
      origin: 'poll',
      deliveryId: null,
    });
  });

  it('when the same v1 event is upcast twice, then the event id is the same valid uuid', () => {
    const first = upcastRecordObserved(v1) as { eventId: string };
    const second = upcastRecordObserved(structuredClone(v1)) as { eventId: string };
    expect(first.eventId).toBe(second.eventId);
    expect(first.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const other = upcastRecordObserved({ ...v1, recordId: 48214 }) as { eventId: string };
    expect(other.eventId).not.toBe(first.eventId);
  });

  it('when a v1 event has no syncId and a string id, then the v2 syncId is null', () => {
    const { syncId: _s, ...noSync } = v1;
    const decoded = customers.decode({ ...noSync, recordId: '48213' });
    expect(decoded).toMatchObject({ id: '48213', syncId: null });
  });

  it('when a v1 event lacks fetchedAt, then decoding names fetchedAt', () => {
    const { fetchedAt: _f, ...bad } = v1;
    expectFieldError(() => customers.decode(bad), 'fetchedAt');
  });

  it('when a value is already v2, then the upcaster leaves it alone', () => {
    expect(upcastRecordObserved(recordObserved)).toBe(recordObserved);
  });
});
