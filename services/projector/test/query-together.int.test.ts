import type { Pool, PoolClient } from 'pg';
import { createPool, withTransaction } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { inlined, queryTogether, type Statement } from '../src/core/query-together';

/**
 * queryTogether runs several statements in one round trip with their parameters inlined as
 * literals: against PostgreSQL, each must mean exactly what it means bound, whatever the values.
 */
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('query_together');
  pool = createPool(db.url);
  await pool.query(`CREATE TABLE t (
    id int PRIMARY KEY, name text, tags text[], amount numeric, at timestamptz, doc jsonb, ok boolean)`);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const NASTY = [
  `o'brien`,
  'back\\slash \\N \\t',
  'quote " and {braces}, commas',
  'tab\tnew\nline\rcr',
  'é 中 😀',
  '$1 $2 ;-- DROP TABLE t',
  '',
  ' NULL',
];

const insert = (id: number, name: string | null): Statement => ({
  text: `INSERT INTO t (id, name, tags, amount, at, doc, ok)
         SELECT $1, $2, $3::text[], $4::numeric, $5::timestamptz, $6::jsonb, $7 RETURNING *`,
  values: [
    id,
    name,
    [...NASTY, null, 'NULL'],
    '12345678901234567890.0123456789',
    new Date('2024-02-29T23:59:59.123Z'),
    JSON.stringify({ name, list: NASTY, nested: { n: 1.5, none: null } }),
    true,
  ],
});

async function inTransaction<R>(fn: (c: PoolClient) => Promise<R>): Promise<R> {
  return withTransaction(pool, fn);
}

describe('queryTogether against PostgreSQL', () => {
  it('when values hold quotes, backslashes, braces, NULL-like text and non-ASCII, then the rows are those bound parameters store', async () => {
    const together = NASTY.map((name, i) => insert(100 + i, name));
    const results = await inTransaction((c) => queryTogether(c, [...together, insert(199, null)]));
    expect(results).toHaveLength(NASTY.length + 1);
    // The same statements bound one by one, for reference.
    for (const [i, name] of NASTY.entries())
      await pool.query(insert(200 + i, name).text, insert(200 + i, name).values as unknown[]);
    const stored = await pool.query(
      `SELECT a.id, a.name = b.name AS name, a.tags = b.tags AS tags, a.amount = b.amount AS amount,
              a.at = b.at AS at, a.doc = b.doc AS doc, a.ok = b.ok AS ok
       FROM t a JOIN t b ON b.id = a.id + 100 WHERE a.id BETWEEN 100 AND 198 ORDER BY a.id`,
    );
    expect(stored.rows).toHaveLength(NASTY.length);
    for (const r of stored.rows)
      expect(r).toEqual({ id: r.id, name: true, tags: true, amount: true, at: true, doc: true, ok: true });
    // RETURNING comes back per statement, parsed by type as usual.
    expect(results[1]!.rows[0]).toMatchObject({ id: 101, name: NASTY[1], tags: [...NASTY, null, 'NULL'] });
    expect(results[1]!.rows[0]!.at).toEqual(new Date('2024-02-29T23:59:59.123Z'));
    expect(results[NASTY.length]!.rows[0]).toMatchObject({ id: 199, name: null });
  });

  it('when statements depend on one another, then each sees the effects of those before it', async () => {
    const results = await inTransaction((c) =>
      queryTogether(c, [
        insert(300, 'first'),
        { text: `UPDATE t SET name = name || $1 WHERE id = $2`, values: ['+second', 300] },
        { text: `SELECT name FROM t WHERE id = $1`, values: [300] },
      ]),
    );
    expect(results.map((r) => r.rowCount)).toEqual([1, 1, 1]);
    expect(results[2]!.rows).toEqual([{ name: 'first+second' }]);
  });

  it("when statements share an array (a table's links and its keys), then each gets all of it, encoded once", async () => {
    const keys = [501, 502, 503];
    const nasty = [...NASTY, null];
    const results = await inTransaction((c) => {
      const escape = jest.spyOn(c, 'escapeLiteral');
      const ran = queryTogether(c, [
        { text: `INSERT INTO t (id, name) SELECT k, 'x' FROM unnest($1::int[]) k`, values: [keys] },
        { text: `UPDATE t SET tags = $2::text[] WHERE id = ANY($1::int[])`, values: [keys, nasty] },
        { text: `SELECT id, tags FROM t WHERE id = ANY($1::int[]) ORDER BY id`, values: [keys] },
      ]);
      // keys and nasty once each; the id arrays of the other statements reuse the first literal.
      expect(escape).toHaveBeenCalledTimes(2);
      escape.mockRestore();
      return ran;
    });
    expect(results.map((r) => r.rowCount)).toEqual([3, 3, 3]);
    expect(results[2]!.rows).toEqual(keys.map((id) => ({ id, tags: nasty })));
  });

  it('when a statement fails, then the rest do not run, its error (SQLSTATE) is thrown and the transaction is rolled back', async () => {
    const failure = await inTransaction((c) =>
      queryTogether(c, [
        insert(400, 'kept?'),
        { text: `INSERT INTO t (id, amount) VALUES ($1, $2::int)`, values: [401, '3000000000'] },
        insert(402, 'after'),
      ]),
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: '22003' });
    expect(
      (await pool.query('SELECT count(*)::int AS n FROM t WHERE id BETWEEN 400 AND 402')).rows[0].n,
    ).toBe(0);
  });

  it('when one statement is given, then it is bound as usual; when a placeholder has no value, then nothing is sent', async () => {
    const [one] = await inTransaction((c) =>
      queryTogether(c, [{ text: 'SELECT $1::text AS v', values: [`it's`] }]),
    );
    expect(one!.rows).toEqual([{ v: `it's` }]);
    expect(await inTransaction((c) => queryTogether(c, []))).toEqual([]);
    const escape = (s: string) => `'${s.replace(/'/g, "''")}'`;
    expect(() => inlined({ escapeLiteral: escape }, { text: 'SELECT $1, $2', values: ['a'] })).toThrow(
      /no value for \$2/,
    );
  });
});
