import { parseArgs } from 'node:util';
import type { z } from 'zod';
import {
  SKIP_FLAGS,
  SYNC_OPTION_RULES,
  firstSyncOptionIssue,
  syncOptionIssueField,
  syncOptionsSchema,
  type CommonSyncOption,
  type Source,
  type SyncOptions,
} from '@tributary/contracts';

/** What the user asked for on the command line: the sync options, and how the CLI behaves. */
export interface CliRequest extends SyncOptions {
  wait: boolean;
  help: boolean;
  /** Print the requests the run would make and its expected duration; request nothing. */
  dryRun: boolean;
}

export class UsageError extends Error {}

/** The options of `syncOptionsSchema` a source's CLI offers besides all its skip flags (the old scripts' sets). */
export const CLI_OPTIONS: Readonly<Record<Source, readonly CommonSyncOption[]>> = {
  repcard: ['incremental', 'startDate', 'endDate'],
  curagenesis: ['incremental', 'force'],
};

const DATE_OPTIONS: ReadonlySet<string> = new Set<CommonSyncOption>(['startDate', 'endDate']);

/** `skipStatusLogs` → `skip-status-logs` (the flag without its dashes). */
function kebab(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Every schema option `source`'s CLI takes, by flag name (without dashes). */
function optionsByFlag(source: Source): Map<string, string> {
  const options = [...CLI_OPTIONS[source], ...Object.keys(SKIP_FLAGS[source])];
  return new Map(options.map((option) => [kebab(option), option]));
}

/** Every flag of `source`'s CLI, as `--help` lists them. */
export function cliFlags(source: Source): string[] {
  return [
    ...[...optionsByFlag(source).keys()].map((flag) => `--${flag}`),
    '--no-wait',
    '--dry-run',
    '--help',
  ];
}

/** The refusal of the schema, worded with the CLI's flag names. */
function usageError(error: z.ZodError): UsageError {
  const issue = firstSyncOptionIssue(error);
  const params = issue.code === 'custom' ? issue.params : undefined;
  if (params?.rule === SYNC_OPTION_RULES.windowOrder) {
    return new UsageError(`--start-date ${String(params.from)} is after --end-date ${String(params.to)}`);
  }
  if (params?.rule === SYNC_OPTION_RULES.nothingToSync) return new UsageError(issue.message);
  return new UsageError(`--${kebab(syncOptionIssueField(issue))}: ${issue.message}`);
}

/**
 * Parses a sync CLI's flags (parity with the old scripts): the kebab-case spelling of the source's
 * sync options (`--start-date`, `--skip-status-logs`), plus `--no-wait` and `--help`/`-h`; the
 * values go through `syncOptionsSchema`. Throws UsageError on anything unknown or invalid.
 */
function parseCliArgs(source: Source, argv: readonly string[]): CliRequest {
  const byFlag = optionsByFlag(source);
  const { tokens } = parseArgs({
    args: [...argv],
    options: {
      help: { type: 'boolean', short: 'h' },
      'no-wait': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      ...Object.fromEntries(
        [...byFlag].map(([flag, option]) => [
          flag,
          { type: DATE_OPTIONS.has(option) ? 'string' : 'boolean' } as const,
        ]),
      ),
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const raw: Record<string, unknown> = {};
  let help = false;
  let wait = true;
  let dryRun = false;
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unknown option ${token.value} (see --help)`);
    if (token.kind === 'option-terminator') throw new UsageError('unknown option -- (see --help)');
    const option = byFlag.get(token.name);
    if (token.name === 'help') help = true;
    else if (token.name === 'no-wait') wait = false;
    else if (token.name === 'dry-run') dryRun = true;
    else if (option === undefined) throw new UsageError(`unknown option ${token.rawName} (see --help)`);
    else if (DATE_OPTIONS.has(option)) {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
        throw new UsageError(`${token.rawName} needs a date YYYY-MM-DD`);
      }
      raw[option] = token.value;
    } else raw[option] = true;
  }
  const options = syncOptionsSchema(source).safeParse(raw);
  if (!options.success) throw usageError(options.error);
  return { ...options.data, wait, help, dryRun };
}

/** Parses the RepCard CLI's flags; throws UsageError on anything unknown or invalid. */
export function parseRepcardArgs(argv: readonly string[]): CliRequest {
  return parseCliArgs('repcard', argv);
}

/** Parses the CuraGenesis CLI's flags; throws UsageError on anything unknown or invalid. */
export function parseCuragenesisArgs(argv: readonly string[]): CliRequest {
  return parseCliArgs('curagenesis', argv);
}

export const REPCARD_USAGE = `usage: npm run sync:repcard -- [options]

Syncs RepCard into PostgreSQL through Kafka: publishes a sync command, shows
progress per entity, waits until the projection has applied everything, and
prints a summary.

  --incremental                    only what changed since the last sync
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
  --dry-run                        print the requests the run would make and
                                   its expected duration
  --help                           this text

Exit codes: 0 done, 1 the sync failed (or an entity did), 2 bad options.`;

export const CURAGENESIS_USAGE = `usage: npm run sync:curagenesis -- [options]

Syncs CuraGenesis practices and orders into PostgreSQL through Kafka, with
progress and a summary. At most one sync per hour runs unless forced; a skipped
run is recorded with its reason.

  --incremental      only what changed since the last sync
  --force            run even if a sync ran within the last hour
  --skip-practices   do not sync practices
  --skip-orders      do not sync orders
  --no-wait          publish the command and exit
  --dry-run          print the requests the run would make and its duration
  --help             this text

Exit codes: 0 done, 1 the sync failed or was skipped, 2 bad options.`;
