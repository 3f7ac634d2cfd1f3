import type { TestDatabase } from '@tributary/testkit';

/**
 * Drops a benchmark's database, retrying a few times; a database that still cannot be dropped (a
 * session of another role connected to it, which `DROP DATABASE ... WITH (FORCE)` may not end) is
 * left with a warning rather than losing the figures measured.
 */
export async function dropDatabase(db: TestDatabase): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.drop();
      return;
    } catch (err) {
      if (attempt === 5) {
        console.warn(`[bench] warning: database ${db.name} left behind: ${(err as Error).message}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
