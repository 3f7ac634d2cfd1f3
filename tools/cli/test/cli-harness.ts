import type { Pool } from 'pg';
import { createPool, migrate } from '@tributary/db';
import { createTestDatabase, type TestDatabase } from '@tributary/testkit';
import { MIGRATIONS_DIR } from '../../../services/projector/src/app';
import { runProgram } from '../src/program';

export interface CliRun {
  code: number;
  /** What it wrote to stdout and stderr. */
  out: string;
  err: string;
}

/** Runs `tributary <argv>` in this process, capturing what it writes. */
export async function runCli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await runProgram(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

export interface CliDatabase {
  pool(): Pool;
  url(): string;
}

/**
 * A database of the test file's own for the CLI (DATABASE_URL points at it while the file runs),
 * migrated with the projector's migrations unless `migrated: false`, then seeded. Registers the
 * file's beforeAll / afterAll.
 */
export function cliDatabase(
  name: string,
  options: { migrated?: boolean; seed?: (pool: Pool) => Promise<void> } = {},
): CliDatabase {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  const saved = process.env.DATABASE_URL;
  beforeAll(async () => {
    db = await createTestDatabase(name);
    pool = createPool(db.url, { max: 2 });
    if (options.migrated !== false) await migrate(pool, MIGRATIONS_DIR);
    await options.seed?.(pool);
    process.env.DATABASE_URL = db.url;
  });
  afterAll(async () => {
    process.env.DATABASE_URL = saved;
    await pool?.end();
    await db?.drop();
  });
  return {
    pool: () => pool!,
    url: () => db!.url,
  };
}
