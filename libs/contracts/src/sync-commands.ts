import { z } from 'zod';
import { isoDate, isoDateTime, nonEmpty, uuid } from './primitives';
import { SOURCES, isEntityOf } from './topics';

export const SYNC_MODES = ['full', 'incremental'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export const SYNC_TRIGGERS = ['schedule', 'manual', 'api', 'cli'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/** A date window, both ends inclusive; null = open. The ingest adapts to each API's boundary rules. */
export const DateWindowSchema = z.object({
  from: isoDate.nullable(),
  to: isoDate.nullable(),
});
export type DateWindow = z.infer<typeof DateWindowSchema>;

/**
 * SyncRequested v1, on `sync.commands.v1` keyed by source: ask the ingest of `source` to run a sync.
 * `entities` empty = every entity of the source; named entities must belong to the source.
 */
export const SyncRequestedSchema = z
  .object({
    type: z.literal('SyncRequested'),
    version: z.literal(1),
    syncId: uuid,
    source: z.enum(SOURCES),
    mode: z.enum(SYNC_MODES),
    entities: z.array(nonEmpty),
    window: DateWindowSchema,
    trigger: z.enum(SYNC_TRIGGERS),
    requestedBy: nonEmpty,
    requestedAt: isoDateTime,
    /** Override the source's minimum interval between syncs. */
    force: z.boolean().default(false),
  })
  .superRefine((command, ctx) => {
    command.entities.forEach((entity, index) => {
      if (!isEntityOf(command.source, entity)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entities', index],
          message: `${entity} is not an entity of ${command.source}`,
        });
      }
    });
    const { from, to } = command.window;
    if (from !== null && to !== null && from > to) {
      ctx.addIssue({
        code: 'custom',
        path: ['window', 'to'],
        message: `window ends (${to}) before it starts`,
      });
    }
  });
export type SyncRequested = z.infer<typeof SyncRequestedSchema>;
/** What a producer may pass (defaults not yet applied). */
export type SyncRequestedInput = z.input<typeof SyncRequestedSchema>;
