import { DependencyError } from '@tributary/core';
import type { Pool } from 'pg';
import { createPool, deferToCommit, pingDb, withTransaction } from '../src';
import { createTestSchema, databaseUrl } from './db-helpers';

describe('pool', () => {
  let db: Pool;
  let dropSchema: () => Promise<void>;
  let schema: string;

  beforeEach(async () => {
    const created = await createTestSchema('pool');
    dropSchema = created.drop;
    schema = created.schema;
    db = createPool(databaseUrl(), { max: 2, searchPath: created.schema });
    await db.query('CREATE TABLE items (id int PRIMARY KEY)');
  });
  afterEach(async () => {
    await db.end();
    await dropSchema();
  });

  it('with genericPlans, then a named statement is planned once per connection, and the search path still holds', async () => {
    const plans = async (genericPlans: boolean) => {
      const pool = createPool(databaseUrl(), { max: 1, searchPath: schema, genericPlans });
      try {
        for (let i = 0; i < 8; i++)
          await pool.query({
            name: 'items-by-id',
            text: 'SELECT id FROM items WHERE id = ANY($1::int[])',
            values: [[i]],
          });
        const { rows } = await pool.query<{ generic: number; custom: number }>(
          `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'items-by-id'`,
        );
        return rows[0];
      } finally {
        await pool.end();
      }
    };
    expect(await plans(true)).toEqual({ generic: 8, custom: 0 });
    // PostgreSQL's default: the first five executions at least are planned one by one.
    expect((await plans(false))!.custom).toBeGreaterThanOrEqual(5);
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

  it('when statements are deferred to the commit, then they run with it, in order, after the work', async () => {
    const deferred: boolean[] = [];
    await withTransaction(db, async (client) => {
      deferred.push(deferToCommit(client, 'INSERT INTO items VALUES (10)'));
      deferred.push(deferToCommit(client, 'UPDATE items SET id = id + 1 WHERE id = 10'));
      // Not yet run: the work still sees none of it.
      expect((await client.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
      await client.query('INSERT INTO items VALUES (1)');
    });
    expect(deferred).toEqual([true, true]);
    expect((await db.query('SELECT id FROM items ORDER BY id')).rows.map((r) => r.id)).toEqual([1, 11]);
  });

  it('when a deferred statement fails, then the whole transaction rolls back and its error is thrown', async () => {
    await expect(
      withTransaction(db, async (client) => {
        await client.query('INSERT INTO items VALUES (1)');
        deferToCommit(client, 'INSERT INTO items VALUES (2)');
        deferToCommit(client, 'INSERT INTO items VALUES (1)'); // duplicate key
        deferToCommit(client, 'INSERT INTO items VALUES (3)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
    expect(db.totalCount - db.idleCount).toBe(0);
    // The connection is usable again.
    await withTransaction(db, async (client) => void (await client.query('INSERT INTO items VALUES (4)')));
    expect((await db.query('SELECT id FROM items')).rows).toEqual([{ id: 4 }]);
  });

  it('when no transaction of withTransaction runs on the client, then nothing is deferred', async () => {
    const client = await db.connect();
    try {
      expect(deferToCommit(client, 'INSERT INTO items VALUES (1)')).toBe(false);
    } finally {
      client.release();
    }
    await withTransaction(db, async () => undefined);
    const after = await db.connect();
    try {
      // The client of a finished transaction defers nothing either.
      expect(deferToCommit(after, 'INSERT INTO items VALUES (1)')).toBe(false);
    } finally {
      after.release();
    }
    expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
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
