import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { TributaryError } from '@tributary/core';
import { isRoot, portOpen, run, waitUntil } from './proc';
import {
  PG_DATABASE,
  PG_PASSWORD,
  PG_REGISTRY_DATABASE,
  PG_USER,
  shortHash,
  StackSettings,
} from './settings';

/**
 * PostgreSQL 15 from Debian's binaries in its own data directory. As root it runs as the
 * `postgres` user (it refuses to run as root), so its directory must be reachable by that user:
 * when the checkout is not (a private temporary clone), the data lives under /var/tmp instead.
 */
export interface PgServer {
  dir: string;
  dataDir: string;
  socketDir: string;
  logFile: string;
}

function asPgUser(cmd: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function pgRun(cmd: string, args: string[]): string {
  const [c, a] = asPgUser(cmd, args);
  return run(c, a);
}

function reachableByPostgres(dir: string): boolean {
  if (!isRoot()) return true;
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dir]).status === 0;
}

export function pgServer(s: StackSettings): PgServer {
  let dir = join(s.stackDir, 'postgres');
  mkdirSync(dir, { recursive: true });
  if (isRoot()) chownPostgres(dir);
  if (!reachableByPostgres(dir)) {
    dir = join('/var/tmp', `tributary-${shortHash(s.stackDir)}`, 'postgres');
    mkdirSync(dir, { recursive: true });
    chownPostgres(dir);
  }
  return { dir, dataDir: join(dir, 'data'), socketDir: dir, logFile: join(dir, 'postgres.log') };
}

function chownPostgres(dir: string): void {
  const uid = Number(run('id', ['-u', 'postgres']).trim());
  const gid = Number(run('id', ['-g', 'postgres']).trim());
  chownSync(dir, uid, gid);
}

export function pgRunning(s: StackSettings, pg: PgServer): boolean {
  if (!existsSync(join(pg.dataDir, 'PG_VERSION'))) return false;
  const [c, a] = asPgUser(join(s.pgBinDir, 'pg_ctl'), ['-D', pg.dataDir, 'status']);
  return spawnSync(c, a).status === 0;
}

/** Starts (initialising on first use) or reuses the server. Returns whether it was started now. */
export async function ensurePostgres(s: StackSettings, say: (l: string) => void): Promise<boolean> {
  const pg = pgServer(s);
  if (pgRunning(s, pg)) return false;
  if (await portOpen(s.pgPort)) {
    throw new TributaryError(
      'STACK_PORT_TAKEN',
      `port ${s.pgPort} for PostgreSQL is taken by another process: set STACK_PG_PORT to a free port (or DATABASE_URL to use that server)`,
    );
  }
  const fresh = !existsSync(join(pg.dataDir, 'PG_VERSION'));
  if (fresh) {
    say(`initialising a PostgreSQL data directory in ${pg.dataDir}`);
    const pwFile = join(pg.dir, '.pwfile');
    writeFileSync(pwFile, 'postgres\n');
    if (isRoot()) chownPostgres(pwFile);
    pgRun(join(s.pgBinDir, 'initdb'), [
      '-D',
      pg.dataDir,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${pwFile}`,
      '-E',
      'UTF8',
      '--locale=C',
      '--no-instructions',
    ]);
  }
  const options = [
    `-p ${s.pgPort}`,
    `-k ${pg.socketDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    '-c shared_buffers=256MB',
    '-c fsync=on',
    // Commit times of rows (pg_xact_commit_timestamp): the webhook benchmark measures when a row
    // became visible with it.
    '-c track_commit_timestamp=on',
  ].join(' ');
  pgRun(join(s.pgBinDir, 'pg_ctl'), [
    '-D',
    pg.dataDir,
    '-l',
    pg.logFile,
    '-o',
    options,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  await waitUntil('PostgreSQL', () => portOpen(s.pgPort), { timeoutMs: 30_000, logFile: pg.logFile });
  if (fresh) createRolesAndDatabases(s, pg);
  return true;
}

function psqlAdmin(s: StackSettings, pg: PgServer, sql: string): void {
  pgRun(join(s.pgBinDir, 'psql'), [
    '-h',
    pg.socketDir,
    '-p',
    String(s.pgPort),
    '-U',
    'postgres',
    '-v',
    'ON_ERROR_STOP=1',
    '-qc',
    sql,
  ]);
}

function createRolesAndDatabases(s: StackSettings, pg: PgServer): void {
  psqlAdmin(s, pg, `CREATE ROLE ${PG_USER} LOGIN PASSWORD '${PG_PASSWORD}' CREATEDB`);
  psqlAdmin(s, pg, `CREATE DATABASE ${PG_DATABASE} OWNER ${PG_USER}`);
  psqlAdmin(s, pg, `CREATE DATABASE ${PG_REGISTRY_DATABASE} OWNER ${PG_USER}`);
}

export function stopPostgres(s: StackSettings): boolean {
  const pg = pgServer(s);
  if (!pgRunning(s, pg)) return false;
  pgRun(join(s.pgBinDir, 'pg_ctl'), ['-D', pg.dataDir, '-m', 'fast', '-w', 'stop']);
  return true;
}

export function databaseUrl(s: StackSettings, database = PG_DATABASE): string {
  return `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${s.pgPort}/${database}`;
}

export const currentUser = (): string => userInfo().username;
