import type { Pool } from 'pg';
import { SyncRequestedContract, type Source } from '@tributary/contracts';
import { sleep } from '@tributary/core';
import { getRun } from '@tributary/read-model';
import { newSyncCommand, type BackfillRequest } from '@tributary/sync';
import { reconcilePublisher } from './cli-kafka';

export interface BackfillRun {
  syncId: string;
  request: BackfillRequest;
  status: string;
}

/**
 * Requests each backfill as an ordinary full sync of its entities over its window (a SyncRequested
 * on sync.commands, trigger `cli`: the path `tributary sync <source> --start-date --end-date` takes),
 * one after the other, each awaited until its run has ended in the read model.
 */
export async function requestBackfills(
  pool: Pool,
  source: Source,
  requests: readonly BackfillRequest[],
  onLine: (line: string) => void,
  timeoutMs = 30 * 60_000,
): Promise<BackfillRun[]> {
  const publisher = await reconcilePublisher();
  const runs: BackfillRun[] = [];
  try {
    for (const request of requests) {
      const command = newSyncCommand({
        source,
        mode: 'full',
        entities: request.entities,
        from: request.from,
        to: request.to,
        trigger: 'cli',
        requestedBy: process.env.USER || 'cli',
      });
      await publisher.publish([{ contract: SyncRequestedContract, key: source, value: command }]);
      onLine(`sync requested: ${command.syncId}`);
      const status = await waitForEnd(pool, command.syncId, timeoutMs);
      onLine(`sync ${command.syncId}: ${status}`);
      runs.push({ syncId: command.syncId, request, status });
      if (status !== 'completed') break;
    }
  } finally {
    await publisher.close();
  }
  return runs;
}

async function waitForEnd(pool: Pool, syncId: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(pool, syncId);
    if (run && run.status !== 'running') return run.status;
    if (Date.now() > deadline) return run ? 'still running (gave up waiting)' : 'not picked up';
    await sleep(500);
  }
}
