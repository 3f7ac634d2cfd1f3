import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { copyFromStdin } from '../src/copy-from-stdin';
import { copyTextLine } from '../src/copy-text';

describe('COPY FROM STDIN through a plain pg client', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('copy');
    pool = new Pool({ connectionString: db.url, max: 1 });
    await pool.query('CREATE TABLE t (id bigint, note text, doc jsonb, at timestamptz, x double precision)');
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('when rows with escapes, nulls and JSON are copied in several chunks, then PostgreSQL reads back the same values', async () => {
    const rows = [
      [1, 'tab\there\nnew line \\ back\rslash', { a: 'x\ny', b: [1, null] }, '2024-01-02T03:04:05.000Z', 1.5],
      [2, null, null, null, null],
    ];
    const client = await pool.connect();
    try {
      const copied = await copyFromStdin(
        client,
        'COPY t (id, note, doc, at, x) FROM STDIN',
        rows.map((r) => Buffer.from(copyTextLine(r))),
      );
      expect(copied).toBe(2);
    } finally {
      client.release();
    }
    const back = await pool.query(
      `SELECT id::int, note, doc, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at, x FROM t ORDER BY id`,
    );
    expect(back.rows).toEqual([
      {
        id: 1,
        note: 'tab\there\nnew line \\ back\rslash',
        doc: { a: 'x\ny', b: [1, null] },
        at: '2024-01-02T03:04:05',
        x: 1.5,
      },
      { id: 2, note: null, doc: null, at: null, x: null },
    ]);
  });

  it('when the server refuses a line, then the copy rejects with its error and the connection stays usable', async () => {
    const client = await pool.connect();
    try {
      await expect(
        copyFromStdin(client, 'COPY t (id) FROM STDIN', [Buffer.from('not-a-number\n')]),
      ).rejects.toThrow(/bigint/);
      expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      client.release();
    }
  });
});
