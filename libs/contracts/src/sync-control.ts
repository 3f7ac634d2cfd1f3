import { z } from 'zod';
import { isoDateTime, nonEmpty, uuid } from './primitives';
import { SOURCES } from './topics';

/**
 * SyncCancelRequested v1, on `sync.control.v1` keyed by syncId: stop the run `syncId` of `source` at
 * its next page boundary, or never start it if its command is still queued. Every ingest replica
 * reads the whole topic (its own reader, no shared group), so whichever replica holds the run sees
 * it (ADR 0017). Asking twice is harmless.
 */
export const SyncCancelRequestedSchema = z.object({
  type: z.literal('SyncCancelRequested'),
  version: z.literal(1),
  syncId: uuid,
  source: z.enum(SOURCES),
  /** Who asked (the credential's user, or the CLI's `$USER`). */
  requestedBy: nonEmpty,
  requestedAt: isoDateTime,
});
export type SyncCancelRequested = z.infer<typeof SyncCancelRequestedSchema>;
