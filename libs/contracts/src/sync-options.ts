import { z } from 'zod';
import type { SyncMode } from './sync-commands';
import { entitiesOf, type EntityOf, type Source } from './topics';

/**
 * The options of one sync request, defined once for the CLI, the admin API and the scheduler:
 * `incremental`, the date window `startDate`/`endDate` (YYYY-MM-DD, both inclusive), `force`, and
 * the source's skip flags (the old script's options). Each caller spells them its own way (the CLI
 * as `--skip-status-logs`, the admin API's query string as `"true"`) and maps them onto this.
 */

/** Each source's skip flags and the entities each one leaves out. */
export const SKIP_FLAGS = {
  repcard: {
    skipUsers: ['users'],
    skipOffices: ['offices'],
    skipCustomers: ['customers'],
    skipAppointments: ['appointments'],
    skipStatusLogs: ['status_logs'],
    skipCustomerAttachments: ['customer_attachments'],
    skipAppointmentAttachments: ['appointment_attachments'],
    skipAttachments: ['customer_attachments', 'appointment_attachments'],
  },
  curagenesis: {
    skipPractices: ['practices'],
    skipOrders: ['orders'],
  },
} as const satisfies { [S in Source]: Readonly<Record<string, readonly EntityOf<S>[]>> };

export type SkipFlag<S extends Source> = keyof (typeof SKIP_FLAGS)[S] & string;

/** The options every source takes besides its skip flags. */
export const COMMON_SYNC_OPTIONS = ['incremental', 'startDate', 'endDate', 'force'] as const;
export type CommonSyncOption = (typeof COMMON_SYNC_OPTIONS)[number];

/** Every option name of `source`: the common ones, then its skip flags. */
export function syncOptionNames(source: Source): string[] {
  return [...COMMON_SYNC_OPTIONS, ...Object.keys(SKIP_FLAGS[source])];
}

/** The source whose skip flag `name` is, if any (to tell "not this source's" from "unknown"). */
export function skipFlagOwner(name: string): Source | undefined {
  return (Object.keys(SKIP_FLAGS) as Source[]).find((source) => Object.hasOwn(SKIP_FLAGS[source], name));
}

/** Options resolved: what a SyncRequested command needs from them. */
export interface SyncOptions<S extends Source = Source> {
  mode: SyncMode;
  /** In the source's sync order; never empty. */
  entities: EntityOf<S>[];
  from: string | null;
  to: string | null;
  force: boolean;
}

/** Why a cross-field check refused the options, in `issue.params.rule` (callers word it their way). */
export const SYNC_OPTION_RULES = { windowOrder: 'window-order', nothingToSync: 'nothing-to-sync' } as const;

/** A date of the window: `YYYY-MM-DD`, a real calendar day, or null (open). */
export const windowDate = z.iso
  .date({
    error: (iss) =>
      typeof iss.input === 'string'
        ? `"${iss.input}" is not a date YYYY-MM-DD`
        : `must be a date YYYY-MM-DD (given ${JSON.stringify(iss.input)})`,
  })
  .nullable();

/** A flag: true or false. */
export const strictFlag = z.boolean({
  error: (iss) => `must be true or false (given ${JSON.stringify(iss.input)})`,
});

/** How a caller reads flag and date values (the admin API also takes query-string spellings). */
export interface SyncOptionFields {
  flag: z.ZodType<boolean, unknown>;
  date: z.ZodType<string | null, unknown>;
}

const STRICT_FIELDS: SyncOptionFields = { flag: strictFlag, date: windowDate };

/**
 * The entities of `source` in its sync order, without those the set skip flags leave out.
 * Refuses nothing: an empty list means every entity was skipped (the schema refuses that).
 */
export function entitiesWithout<S extends Source>(
  source: S,
  skips: Partial<Record<string, boolean>>,
): EntityOf<S>[] {
  const flags: Readonly<Record<string, readonly string[]>> = SKIP_FLAGS[source];
  const skipped = new Set(Object.keys(flags).flatMap((flag) => (skips[flag] ? flags[flag]! : [])));
  return entitiesOf(source).filter((entity) => !skipped.has(entity));
}

/**
 * The entities a SyncRequested command names (every entity when it names none), in the source's
 * sync order; names that are not entities of `source` are dropped (the contract refuses them).
 */
export function requestedEntities<S extends Source>(source: S, requested: readonly string[]): EntityOf<S>[] {
  const all = entitiesOf(source);
  return requested.length === 0 ? [...all] : all.filter((entity) => requested.includes(entity));
}

/**
 * The options schema of `source`: a strict object of the common options and the source's skip
 * flags (unknown keys refused), resolved to SyncOptions. Refuses a window that ends before it
 * starts (at `endDate`) and skip flags that leave nothing to sync (at the first skip flag set).
 */
export function syncOptionsSchema<S extends Source>(
  source: S,
  fields: SyncOptionFields = STRICT_FIELDS,
): z.ZodType<SyncOptions<S>, Record<string, unknown>> {
  const optionalFlag = fields.flag.optional();
  const skipShape = Object.fromEntries(Object.keys(SKIP_FLAGS[source]).map((flag) => [flag, optionalFlag]));
  return z
    .strictObject({
      incremental: optionalFlag,
      startDate: fields.date.optional(),
      endDate: fields.date.optional(),
      force: optionalFlag,
      ...skipShape,
    })
    .transform((raw, ctx): SyncOptions<S> => {
      const values = raw as Record<string, unknown>;
      const from = (values.startDate as string | null | undefined) ?? null;
      const to = (values.endDate as string | null | undefined) ?? null;
      if (from !== null && to !== null && from > to) {
        ctx.addIssue({
          code: 'custom',
          path: ['endDate'],
          message: `${to} is before startDate ${from}`,
          params: { rule: SYNC_OPTION_RULES.windowOrder, from, to },
        });
      }
      const entities = entitiesWithout(source, values as Record<string, boolean>);
      if (entities.length === 0) {
        const firstSkip = Object.keys(SKIP_FLAGS[source]).find((flag) => values[flag] !== undefined);
        ctx.addIssue({
          code: 'custom',
          path: [firstSkip ?? 'entities'],
          message: 'every entity is skipped: nothing to sync',
          params: { rule: SYNC_OPTION_RULES.nothingToSync },
        });
      }
      return {
        mode: values.incremental === true ? 'incremental' : 'full',
        entities,
        from,
        to,
        force: values.force === true,
      };
    }) as unknown as z.ZodType<SyncOptions<S>, Record<string, unknown>>;
}

/** The field an options issue is about (the first unknown key for an unknown-keys issue). */
export function syncOptionIssueField(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return issue.keys[0] ?? 'options';
  return issue.path.length > 0 ? String(issue.path[0]) : 'options';
}

/** The issue to report first: an unknown option, else the first issue. */
export function firstSyncOptionIssue(error: z.ZodError): z.core.$ZodIssue {
  return error.issues.find((issue) => issue.code === 'unrecognized_keys') ?? error.issues[0]!;
}
