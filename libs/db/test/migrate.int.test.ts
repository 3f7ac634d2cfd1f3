import { TributaryError } from '@tributary/core';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { createPool, migrate } from '../src';
import { createTestSchema, databaseUrl, migrationsDir } from './db-helpers';

const M1 = 'CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL);';
const M2 = 'ALTER TABLE widgets ADD COLUMN color text;\nCREATE TABLE widget_log (n int);';
// Not idempotent on purpose: applied twice, it would fail or count 2.
const M3 = 'SELECT pg_sleep(0.2);\nINSERT INTO widget_log (n) VALUES (1);';

describe('migrate', () => {
  let schema: string;
  let dropSchema: () => Promise<void>;
  const pools: Pool[] = [];
  const dirs: (() => void)[] = [];

  beforeEach(async () => {
    ({ schema, drop: dropSchema } = await createTestSchema('migrate'));
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
    dirs.splice(0).forEach((remove) => remove());
    await dropSchema();
  });

  function pool(): Pool {
    const p = createPool(databaseUrl(), { max: 2, searchPath: schema, applicationName: 'db-migrate-test' });
    pools.push(p);
    return p;
  }
  function dir(files: Record<string, string>) {
    const d = migrationsDir(files);
    dirs.push(d.remove);
    return d;
  }

  it('when migrations are new, then they are applied in order, once, and recorded with checksums', async () => {
    const { dir: path } = dir({ '002_color.sql': M2, '001_widgets.sql': M1, 'README.txt': 'ignored' });
    const db = pool();

    expect(await migrate(db, path)).toEqual([1, 2]);
    expect(await migrate(db, path)).toEqual([]);

    const { rows } = await db.query(
      'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: 1, name: 'widgets', checksum: sha256(M1), applied_at: expect.any(Date) },
      { version: 2, name: 'color', checksum: sha256(M2), applied_at: expect.any(Date) },
    ]);
    await db.query("INSERT INTO widgets (id, name, color) VALUES (1, 'w', 'red')");
  });

  it('when a new file is added later, then only it is applied', async () => {
    const d = dir({ '001_widgets.sql': M1 });
    const db = pool();
    expect(await migrate(db, d.dir)).toEqual([1]);
    d.write('002_color.sql', M2);
    expect(await migrate(db, d.dir)).toEqual([2]);
  });

  it('when an applied migration file was changed, then migrate refuses and applies nothing', async () => {
    const d = dir({ '001_widgets.sql': M1 });
    const db = pool();
    await migrate(db, d.dir);
    d.write('001_widgets.sql', `${M1}\n-- edited afterwards`);
    d.write('002_color.sql', M2);

    const err = await migrate(db, d.dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    expect(err).toMatchObject({
      code: 'MIGRATION_CHECKSUM_MISMATCH',
      details: { version: 1, file: '001_widgets.sql' },
    });
    const { rows } = await db.query('SELECT version FROM schema_migrations');
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('when several services migrate at the same time, then each migration is applied exactly once', async () => {
    const { dir: path } = dir({ '001_widgets.sql': M1, '002_color.sql': M2, '003_log.sql': M3 });
    const results = await Promise.all([pool(), pool(), pool(), pool()].map((p) => migrate(p, path)));

    expect(results.flat().sort()).toEqual([1, 2, 3]);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1); // the first to lock applies all; the rest find nothing
    const db = pool();
    expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(3);
    expect((await db.query('SELECT count(*)::int AS n FROM widget_log')).rows[0].n).toBe(1);
  });

  it('when a migration fails, then it is rolled back and not recorded, and earlier ones stay', async () => {
    const { dir: path } = dir({
      '001_widgets.sql': M1,
      '002_broken.sql': 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
    });
    const db = pool();
    await expect(migrate(db, path)).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      details: { version: 2 },
    });
    expect((await db.query('SELECT version FROM schema_migrations')).rows).toEqual([{ version: 1 }]);
    expect((await db.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
  });

  it('when a table name is given, then applied migrations are recorded there', async () => {
    const { dir: path } = dir({ '001_widgets.sql': M1 });
    const db = pool();
    expect(await migrate(db, path, { table: 'projector_migrations' })).toEqual([1]);
    expect((await db.query('SELECT version FROM projector_migrations')).rows).toEqual([{ version: 1 }]);
    expect((await db.query("SELECT to_regclass('schema_migrations') AS t")).rows[0].t).toBeNull();
  });

  it('when a .sql file is not named NNN_name.sql, then migrate refuses before touching the database', async () => {
    const { dir: path } = dir({ 'widgets.sql': M1 });
    await expect(migrate(pool(), path)).rejects.toMatchObject({ code: 'MIGRATION_BAD_NAME' });
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
