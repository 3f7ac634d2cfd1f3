import type { Pool } from 'pg';
import { withTransaction } from '@tributary/db';
import type { TestDatabase } from '@tributary/testkit';
import { TOPICS } from '@tributary/contracts';
import { nextPositions } from '@tributary/kafka';
import { pgCheckpointer } from '../src/data-access/pg-checkpointer';
import { dropDatabase, migratedDatabase } from './migrated-database';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  ({ db, pool } = await migratedDatabase());
});
afterAll(() => dropDatabase(db, pool));

const message = (offset: string) => ({ offset, value: {} });

describe('the projector checkpointer (projector_offsets)', () => {
  it('when batches of several partitions are stored together, then every next offset is stored, never moving back', async () => {
    const checkpointer = pgCheckpointer(pool);
    const batches = [
      { topic: TOPICS.repcardCustomers, partition: 1, messages: [message('3')] },
      { topic: TOPICS.repcardUsers, partition: 2, messages: [message('7'), message('8')] },
      { topic: TOPICS.repcardUsers, partition: 0, messages: [] },
    ];
    await withTransaction(pool, (c) => checkpointer.store(c, 'grp', nextPositions(batches)));
    // an older offset for a partition already further along does not move it back
    await withTransaction(pool, (c) =>
      checkpointer.store(
        c,
        'grp',
        nextPositions([{ topic: TOPICS.repcardCustomers, partition: 1, messages: [message('0')] }]),
      ),
    );
    const offsets = await pool.query(
      `SELECT topic, partition, next_offset::text AS next FROM projector_offsets WHERE consumer_group = 'grp' ORDER BY partition`,
    );
    expect(offsets.rows).toEqual([
      { topic: TOPICS.repcardCustomers, partition: 1, next: '4' },
      { topic: TOPICS.repcardUsers, partition: 2, next: '9' },
    ]);
    expect(await checkpointer.read('grp', TOPICS.repcardUsers, 2)).toBe('9');
    expect(await checkpointer.read('grp', TOPICS.repcardUsers, 0)).toBeUndefined();
  });

  it('when the transaction that stores the positions rolls back, then nothing is stored', async () => {
    const checkpointer = pgCheckpointer(pool);
    const positions = nextPositions([
      { topic: TOPICS.repcardCustomers, partition: 0, messages: [message('5')] },
    ]);
    await expect(
      withTransaction(pool, async (c) => {
        await checkpointer.store(c, 'grp-rollback', positions);
        throw new Error('projection failed');
      }),
    ).rejects.toThrow('projection failed');
    expect(await checkpointer.read('grp-rollback', TOPICS.repcardCustomers, 0)).toBeUndefined();
  });
});
