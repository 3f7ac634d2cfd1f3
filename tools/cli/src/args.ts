import { REPCARD_ENTITIES, type RepcardEntity } from '@tributary/contracts';

/** What the user asked for on the command line. */
export interface CliRequest {
  mode: 'full' | 'incremental';
  from: string | null;
  to: string | null;
  entities: string[];
  force: boolean;
  wait: boolean;
  help: boolean;
}

export class UsageError extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(flag: string, value: string | undefined): string {
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a date YYYY-MM-DD`);
  const d = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${flag}: "${value}" is not a date YYYY-MM-DD`);
  }
  return value;
}

const REPCARD_SKIPS: Record<string, RepcardEntity[]> = {
  '--skip-users': ['users'],
  '--skip-offices': ['offices'],
  '--skip-customers': ['customers'],
  '--skip-appointments': ['appointments'],
  '--skip-status-logs': ['status_logs'],
  '--skip-attachments': ['customer_attachments', 'appointment_attachments'],
  '--skip-customer-attachments': ['customer_attachments'],
  '--skip-appointment-attachments': ['appointment_attachments'],
};

/** Parses the RepCard CLI's flags (parity with the old script); throws UsageError on anything unknown. */
export function parseRepcardArgs(argv: readonly string[]): CliRequest {
  const skipped = new Set<string>();
  const req: CliRequest = { mode: 'full', from: null, to: null, entities: [], force: false, wait: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--help' || flag === '-h') req.help = true;
    else if (flag === '--incremental') req.mode = 'incremental';
    else if (flag === '--no-wait') req.wait = false;
    else if (flag === '--start-date') req.from = validDate(flag, inline ?? argv[++i]);
    else if (flag === '--end-date') req.to = validDate(flag, inline ?? argv[++i]);
    else if (REPCARD_SKIPS[flag]) REPCARD_SKIPS[flag]!.forEach((e) => skipped.add(e));
    else throw new UsageError(`unknown option ${arg} (see --help)`);
  }
  if (req.from && req.to && req.from > req.to) throw new UsageError(`--start-date ${req.from} is after --end-date ${req.to}`);
  req.entities = REPCARD_ENTITIES.filter((e) => !skipped.has(e));
  if (req.entities.length === 0) throw new UsageError('every entity is skipped: nothing to sync');
  return req;
}

/** Parses the CuraGenesis CLI's flags. */
export function parseCuragenesisArgs(argv: readonly string[]): CliRequest {
  const req: CliRequest = { mode: 'full', from: null, to: null, entities: ['practices', 'orders'], force: false, wait: true, help: false };
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') req.help = true;
    else if (arg === '--incremental') req.mode = 'incremental';
    else if (arg === '--force') req.force = true;
    else if (arg === '--no-wait') req.wait = false;
    else throw new UsageError(`unknown option ${arg} (see --help)`);
  }
  return req;
}

export const REPCARD_USAGE = `usage: npm run sync:repcard -- [options]

Syncs RepCard into PostgreSQL through Kafka: publishes a sync command, shows progress per entity,
waits until the projection has applied everything, and prints a summary.

  --incremental                    only what changed since the last sync (overlapping window)
  --start-date YYYY-MM-DD          first day of the date window (inclusive)
  --end-date YYYY-MM-DD            last day of the date window (inclusive)
  --skip-users                     do not sync users
  --skip-offices                   do not sync offices
  --skip-customers                 do not sync customers
  --skip-appointments              do not sync appointments
  --skip-status-logs               do not sync customer status logs
  --skip-attachments               do not sync either kind of attachment
  --skip-customer-attachments      do not sync customer attachments
  --skip-appointment-attachments   do not sync appointment attachments
  --no-wait                        publish the command and exit
  --help                           this text

Exit codes: 0 done, 1 the sync failed (or an entity did), 2 bad options.`;

export const CURAGENESIS_USAGE = `usage: npm run sync:curagenesis -- [options]

Syncs CuraGenesis practices and orders into PostgreSQL through Kafka, with progress and a summary.
At most one sync per hour runs unless forced; a skipped run is recorded with its reason.

  --incremental   only what changed since the last sync
  --force         run even if a sync ran within the last hour
  --no-wait       publish the command and exit
  --help          this text

Exit codes: 0 done, 1 the sync failed or was skipped, 2 bad options.`;
