import { randomUUID } from 'node:crypto';
import type { Source, SyncRequested } from '@tributary/contracts';

export interface NewSyncCommand {
  source: Source;
  mode: SyncRequested['mode'];
  trigger: SyncRequested['trigger'];
  requestedBy: string;
  entities?: string[];
  from?: string | null;
  to?: string | null;
  force?: boolean;
  now?: Date;
}

/** A SyncRequested command with a fresh syncId (the CLI, the admin API and the scheduler build them alike). */
export function newSyncCommand(input: NewSyncCommand): SyncRequested {
  return {
    type: 'SyncRequested',
    version: 1,
    syncId: randomUUID(),
    source: input.source,
    mode: input.mode,
    entities: input.entities ?? [],
    window: { from: input.from ?? null, to: input.to ?? null },
    trigger: input.trigger,
    requestedBy: input.requestedBy,
    requestedAt: (input.now ?? new Date()).toISOString(),
    force: input.force ?? false,
  };
}
