import { errorMessage, TributaryError } from '@tributary/core';
import type { Logger } from '@tributary/observability';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeIdentifier, type Pool, type PoolClient } from 'pg';

export interface MigrateOptions {
  /** Where applied migrations are recorded: `name` or `schema.name`. Default `schema_migrations`. */
  table?: string;
  logger?: Logger;
}

export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  sql: string;
  /** sha256 of the file's bytes, hex. */
  checksum: string;
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$/;
const TABLE_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/;

/** The migration files in `dir` (`NNN_name.sql`), sorted by version. Refuses odd names and duplicates. */
export function readMigrations(dir: string): MigrationFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (err) {
    throw new TributaryError(
      'MIGRATIONS_DIR_UNREADABLE',
      `cannot read migrations in ${dir}: ${errorMessage(err)}`,
      {
        cause: err,
      },
    );
  }
  const migrations: MigrationFile[] = [];
  for (const file of entries.filter((f) => f.endsWith('.sql')).sort()) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new TributaryError('MIGRATION_BAD_NAME', `${file} in ${dir} is not named NNN_name.sql`, {
        details: { dir, file },
      });
    }
    const bytes = readFileSync(join(dir, file));
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      file,
      sql: bytes.toString('utf8'),
      checksum: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new TributaryError(
        'MIGRATION_DUPLICATE_VERSION',
        `${migrations[i - 1]!.file} and ${migrations[i]!.file} share version ${migrations[i]!.version}`,
        { details: { dir } },
      );
    }
  }
  return migrations;
}

/**
 * Applies the plain-SQL migrations in `dir` that the database has not seen, in version order, each in
 * its own transaction together with its row in the migrations table. Runs under a PostgreSQL advisory
 * lock, so services starting at the same time apply each migration exactly once (the later ones wait,
 * then find nothing to do). A migration already applied whose file has changed since is refused with
 * MIGRATION_CHECKSUM_MISMATCH before anything is applied: write a new migration instead of editing one.
 * Statements that cannot run inside a transaction (CREATE INDEX CONCURRENTLY) are not supported.
 * Returns the versions this call applied.
 */
export async function migrate(pool: Pool, dir: string, options: MigrateOptions = {}): Promise<number[]> {
  const table = options.table ?? 'schema_migrations';
  if (!TABLE_NAME.test(table)) {
    throw new TributaryError('MIGRATION_BAD_TABLE', `"${table}" is not a valid migrations table name`);
  }
  const qualified = table.split('.').map(escapeIdentifier).join('.');
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  let broken: Error | undefined;
  let lockKey: string | undefined;
  try {
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    lockKey = advisoryLockKey(table.includes('.') ? table : `${rows[0]?.schema ?? ''}.${table}`);
    await client.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);

    await client.query(
      `CREATE TABLE IF NOT EXISTS ${qualified} (
         version    integer     PRIMARY KEY,
         name       text        NOT NULL,
         checksum   text        NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = new Map(
      (
        await client.query<{ version: number; checksum: string }>(
          `SELECT version, checksum FROM ${qualified}`,
        )
      ).rows.map((r) => [r.version, r.checksum]),
    );
    for (const m of migrations) {
      const recorded = applied.get(m.version);
      if (recorded !== undefined && recorded !== m.checksum) {
        throw new TributaryError(
          'MIGRATION_CHECKSUM_MISMATCH',
          `migration ${m.file} was changed after it was applied (recorded sha256 ${recorded}, file now ${m.checksum}); ` +
            'add a new migration instead of editing an applied one',
          { details: { version: m.version, file: m.file, recorded, actual: m.checksum, dir } },
        );
      }
    }

    const done: number[] = [];
    for (const m of migrations.filter((x) => !applied.has(x.version))) {
      const started = Date.now();
      await applyOne(client, qualified, m);
      done.push(m.version);
      options.logger?.debug('migration.applied', `applied migration ${m.file}`, {
        version: m.version,
        name: m.name,
        table,
        durationMs: Date.now() - started,
      });
    }
    // One line when something was applied; "up to date" is start-up chatter (debug).
    options.logger?.[done.length ? 'info' : 'debug'](
      'migrations.applied',
      done.length ? `applied ${done.length} migration(s)` : 'database schema up to date',
      { applied: done, total: migrations.length, table },
    );
    return done;
  } finally {
    if (lockKey !== undefined) {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch((err: unknown) => {
        broken = err instanceof Error ? err : new Error(errorMessage(err)); // dropping the session frees the lock
      });
    }
    client.release(broken);
  }
}

async function applyOne(client: PoolClient, qualified: string, m: MigrationFile): Promise<void> {
  try {
    await client.query('BEGIN');
    await client.query(m.sql);
    await client.query(`INSERT INTO ${qualified} (version, name, checksum) VALUES ($1, $2, $3)`, [
      m.version,
      m.name,
      m.checksum,
    ]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new TributaryError('MIGRATION_FAILED', `migration ${m.file} failed: ${errorMessage(err)}`, {
      cause: err,
      details: { version: m.version, file: m.file },
    });
  }
}

/** A 64-bit advisory lock key per migrations table, so unrelated migration sets do not wait on each other. */
function advisoryLockKey(qualifiedTable: string): string {
  return createHash('sha256')
    .update(`tributary.migrate:${qualifiedTable}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}
