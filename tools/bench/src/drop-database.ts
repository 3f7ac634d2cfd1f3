import type { TestDatabase } from '@tributary/testkit';

/**
 * Drops a benchmark's database, retrying for a minute: `DROP DATABASE ... WITH (FORCE)` run by a
 * role that is not a superuser fails while an autovacuum worker is in the database (just after
 * 100k rows were written, often). One that still cannot be dropped is left with a warning rather
 * than losing the figures measured.
 */
export async function dropDatabase(db: TestDatabase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.drop();
      return;
    } catch (err) {
      if (attempt === 12) {
        console.warn(`[bench] warning: database ${db.name} left behind: ${(err as Error).message}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}
