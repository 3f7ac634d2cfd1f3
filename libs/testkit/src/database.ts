import { Client } from 'pg';
import { uniqueName } from './names';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database on the test server (DATABASE_URL), so each test file owns its read models. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error(
      'DATABASE_URL is not set: run the integration tests through jest (global setup starts the stack)',
    );
  const name = uniqueName(prefix).replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new Client({ connectionString: base });
      await c.connect();
      try {
        // An autovacuum worker in the database (common right after a large write) makes a
        // non-superuser's DROP ... FORCE fail with 42501 for a moment: try again for up to a minute.
        for (let attempt = 1; ; attempt += 1) {
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (err) {
            if ((err as { code?: string }).code !== '42501' || attempt >= 60) throw err;
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}
