import { TributaryError } from '@tributary/core';

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
