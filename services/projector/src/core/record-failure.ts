import { errorMessage, TributaryError } from '@tributary/core';
import { sqlStateOf } from '@tributary/db';

/** A record that can never be projected (bad shape, no id, a value its column cannot hold). */
export const RECORD_MALFORMED = 'RECORD_MALFORMED';

export class RecordMalformedError extends TributaryError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(RECORD_MALFORMED, message, { retriable: false, details });
  }
}

export function isRecordMalformedError(err: unknown): err is RecordMalformedError {
  return err instanceof TributaryError && err.code === RECORD_MALFORMED;
}

/** One record a projection could not apply: it goes to the DLQ and counts as failed for its sync. */
export interface RecordFailure {
  offset: string;
  syncId: string | null;
  error: TributaryError;
}

/** `malformed <entity> record <id>: <why>` for the record at `offset`. */
export function malformed(
  offset: string,
  record: { entity: string; id: string; syncId: string | null },
  why: string,
): RecordFailure {
  return {
    offset,
    syncId: record.syncId,
    error: new RecordMalformedError(`malformed ${record.entity} record ${record.id}: ${why}`, {
      entity: record.entity,
      id: record.id,
    }),
  };
}

/** What a projection says of one of its records: what it is, and the sync run it counts for. */
export interface RecordIdentity {
  entity: string;
  id: string;
  syncId: string | null;
}

/** Where a record was read: the DLQ's origin, repeated in the error's details. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** A record PostgreSQL refuses on its own (isolated by bisection): a value out of range, a date that does not exist, ... */
export class RecordUnstorableError extends TributaryError {
  constructor(message: string, details: Record<string, unknown>, cause: unknown) {
    super('RECORD_UNSTORABLE', message, { retriable: false, details, cause });
  }
}

/** The fields of a PostgreSQL error that say which value it refused (node-postgres' names). */
const PG_FIELDS = ['detail', 'table', 'column', 'constraint', 'dataType', 'where'] as const;

/**
 * The failure of the record at `offset` (its position in the planned batch) that PostgreSQL refused
 * with `error`: `<entity> record <id> refused by PostgreSQL (SQLSTATE x): <message>`, its topic,
 * partition, offset, SQLSTATE and the server's message in the details.
 */
export function unstorable(
  offset: string,
  at: RecordPosition,
  record: RecordIdentity,
  error: unknown,
): RecordFailure {
  const sqlState = sqlStateOf(error) ?? null;
  const server: Record<string, unknown> = {};
  for (const f of PG_FIELDS) {
    const v = (error as Record<string, unknown> | null)?.[f];
    if (typeof v === 'string') server[f] = v.slice(0, 500);
  }
  const message = errorMessage(error).slice(0, 500);
  return {
    offset,
    syncId: record.syncId,
    error: new RecordUnstorableError(
      `${record.entity} record ${record.id.slice(0, 100)} refused by PostgreSQL (SQLSTATE ${sqlState ?? 'none'}): ${message}`,
      { ...at, entity: record.entity, id: record.id.slice(0, 200), sqlState, error: message, ...server },
      error,
    ),
  };
}
