import {
  CURAGENESIS_RECORD_SCHEMAS,
  curagenesisRecordId,
  curagenesisUpdatedAt,
  recordId,
  recordSchema,
  recordUpdatedAt,
} from '@tributary/contracts';
import { expectFieldError } from './expect-field';

const practice = {
  practiceId: 'pr_1',
  userId: 'u_7',
  curaIntakeId: null,
  specialty: null,
  state: 'UT',
  activatedAt: 1715990400000,
  activatedAtIso: '2024-05-18T00:00:00.000Z',
  totalOrders: 3,
  salesRep: 'Kim',
};
const order = {
  order_id: 5512,
  practice_id: 'pr_1',
  rep_id: 'r_2',
  total_amount: '1250.50',
  order_date: '2024-05-17',
  order_date_epoch_ms: 1715904000000,
  invoice_id: 'inv_8',
  paid: false,
};

describe('CuraGenesis record schemas', () => {
  it('when a practice and an order are valid, then they parse untouched', () => {
    expect(CURAGENESIS_RECORD_SCHEMAS.practices.parse(practice)).toEqual(practice);
    expect(CURAGENESIS_RECORD_SCHEMAS.orders.parse(order)).toEqual(order);
  });

  it('when a practice has no practiceId, then it is malformed at practiceId', () => {
    const { practiceId: _p, ...bad } = practice;
    expect(CURAGENESIS_RECORD_SCHEMAS.practices.safeParse(bad).error?.issues[0]?.path).toEqual([
      'practiceId',
    ]);
  });

  it('when reading ids, then they are strings; a missing order_id is named', () => {
    expect(curagenesisRecordId('practices', practice)).toBe('pr_1');
    expect(curagenesisRecordId('orders', order)).toBe('5512');
    expectFieldError(() => curagenesisRecordId('orders', { orderId: 1 }), 'order_id');
  });

  it('when reading updatedAt, then it is null (CuraGenesis has none)', () => {
    expect(curagenesisUpdatedAt('practices', practice)).toBeNull();
  });

  it('when using the source-agnostic helpers, then they dispatch by source and refuse foreign entities', () => {
    expect(recordId('curagenesis', 'orders', order)).toBe('5512');
    expect(recordId('repcard', 'status_logs', { _id: 'abc' })).toBe('abc');
    expect(recordUpdatedAt('repcard', 'customers', { id: 1, updatedAt: '2024-05-17T20:45:09Z' })).toBe(
      '2024-05-17T20:45:09Z',
    );
    expect(recordSchema('curagenesis', 'practices')).toBe(CURAGENESIS_RECORD_SCHEMAS.practices);
    expect(() => recordId('curagenesis', 'users', {})).toThrow(/not an entity of curagenesis/);
  });
});
