import { DependencyError } from '@tributary/core';
import type { Pool } from 'pg';
import { createPool, pingDb, withTransaction } from '../src';
import { createTestSchema, databaseUrl } from './db-helpers';

describe('pool', () => {
  let db: Pool;
  let dropSchema: () => Promise<void>;

  beforeEach(async () => {
    const created = await createTestSchema('pool');
    dropSchema = created.drop;
    db = createPool(databaseUrl(), { max: 2, searchPath: created.schema });
    await db.query('CREATE TABLE items (id int PRIMARY KEY)');
  });
  afterEach(async () => {
    await db.end();
    await dropSchema();
  });

  it('when the work resolves, then the transaction commits', async () => {
    const result = await withTransaction(db, async (client) => {
      await client.query('INSERT INTO items VALUES (1), (2)');
      return 'done';
    });
    expect(result).toBe('done');
    expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(2);
  });

  it('when the work throws, then the transaction rolls back, the error is rethrown and the client released', async () => {
    await expect(
      withTransaction(db, async (client) => {
        await client.query('INSERT INTO items VALUES (1)');
        await client.query('INSERT INTO items VALUES (1)'); // duplicate key
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
    expect(db.totalCount - db.idleCount).toBe(0);
  });

  it('when PostgreSQL answers, then pingDb resolves; when it does not, then it rejects retriably', async () => {
    await expect(pingDb(db)).resolves.toBeUndefined();
    const unreachable = createPool('postgres://nobody:x@127.0.0.1:1/none', { connectionTimeoutMs: 2000 });
    try {
      const err = await pingDb(unreachable).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DependencyError);
      expect(err).toMatchObject({ code: 'DB_UNAVAILABLE', retriable: true });
    } finally {
      await unreachable.end();
    }
  });
});
