import { uniqueName } from '@tributary/testkit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: run through the integration jest project or source .stack/env');
  return url;
}

/** A fresh schema for one test, and a way to drop it. Names are plain identifiers (no dashes). */
export async function createTestSchema(
  prefix: string,
): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = uniqueName(prefix).replace(/-/g, '_');
  const admin = new Pool({ connectionString: databaseUrl(), max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    drop: async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/** A temporary directory of migration files: `{ '001_users.sql': 'CREATE TABLE ...' }`. */
export function migrationsDir(files: Record<string, string>): {
  dir: string;
  write: (name: string, sql: string) => void;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  const write = (name: string, sql: string): void => writeFileSync(join(dir, name), sql);
  for (const [name, sql] of Object.entries(files)) write(name, sql);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
