import { REPCARD_ENTITIES } from '@tributary/contracts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '@tributary/core';
import { getRun, runTotals } from '@tributary/read-model';
import { waitFor } from '@tributary/testkit';
import {
  runCli,
  startPipeline,
  syncIdOf,
  type CliResult,
  type Pipeline,
} from '../../../libs/testkit/src/repcard-pipeline';

// Cancelling a running full sync (issue 12 item 4, ADR 0017) against the RepCard simulator: the run
// stops at a page boundary, ends `cancelled` with its counts so far, the ingest stops fetching, a
// restart does not resume it, and the next sync runs normally. The rate budget keeps the run long.
const ROOT = join(__dirname, '..', '..', '..');
const ENTITIES = REPCARD_ENTITIES.slice(2);

/** `tributary <args>` (tools/cli/src/tributary.ts) against the pipeline. */
function tributary(p: Pipeline, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), 'tools/cli/src/tributary.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...p.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function onlyRunId(p: Pipeline): Promise<string> {
  return waitFor(
    async () => {
      const { rows } = await p.pool.query<{ sync_id: string }>(`SELECT sync_id FROM sync_runs`);
      return rows.length === 1 ? rows[0]!.sync_id : undefined;
    },
    { timeoutMs: 60_000, description: 'the run started' },
  );
}

async function customerPages(p: Pipeline, syncId: string): Promise<number> {
  const { rows } = await p.pool.query<{ pages: number }>(
    `SELECT coalesce(max(pages), 0)::int AS pages FROM sync_log WHERE sync_id = $1 AND entity_type = 'customers'`,
    [syncId],
  );
  return rows[0]!.pages;
}

/** The simulator's request count once it has not moved for `quietMs`. */
async function settledRequests(p: Pipeline, quietMs = 3000): Promise<number> {
  let last = p.sim.stats().totalRequests;
  for (;;) {
    await sleep(quietMs);
    const now = p.sim.stats().totalRequests;
    if (now === last) return now;
    last = now;
  }
}

describe('cancelling a running sync', () => {
  let p: Pipeline;
  afterEach(async () => {
    await p?.close();
  });

  it('when a full sync is cancelled with `tributary cancel`, then it ends cancelled with its counts so far, fetching stops, a restart does not resume it, and the next sync runs normally', async () => {
    p = await startPipeline({ seed: 404, size: 20_000, rateLimit: 20, ratePeriodMs: 1000 });
    const totalPages = ENTITIES.map((e) => Math.ceil(p.sim.dataset.count(e as never) / 100)).reduce(
      (a, b) => a + b,
      0,
    );
    const first = runCli(p, ['--skip-users', '--skip-offices']);
    const syncId = await onlyRunId(p);
    await waitFor(async () => (await customerPages(p, syncId)) >= 5, {
      timeoutMs: 120_000,
      description: 'five pages of customers',
    });

    const cancel = await tributary(p, ['cancel', syncId, '--json']);
    expect(cancel).toMatchObject({ code: 0 });
    expect(JSON.parse(cancel.stdout)).toMatchObject({
      syncId,
      source: 'repcard',
      status: 'cancel_requested',
      state: 'running',
    });

    // The sync CLI that was following the run sees it end: cancelled is not a success.
    const followed = await first;
    expect(followed.code).toBe(1);
    expect(syncIdOf(followed.stdout)).toBe(syncId);
    expect(followed.stdout).toContain(`sync ${syncId}: cancelled`);

    const stoppedAt = await settledRequests(p);
    expect(stoppedAt).toBeLessThan(totalPages);
    // Every page committed before the stop is projected: the counts so far are exact.
    const seen = (e: { recordsFetched: number | null; recordsSeen: number }) =>
      e.recordsFetched ?? e.recordsSeen;
    const run = await waitFor(
      async () => {
        const r = await getRun(p.pool, syncId);
        return r && r.entityLogs.every((e) => e.recordsInserted === seen(e)) ? r : undefined;
      },
      { timeoutMs: 60_000, description: 'the pages before the stop projected' },
    );
    expect(run).toMatchObject({ status: 'cancelled', errorMessage: expect.stringContaining('cancelled by') });
    // The entities before the stop completed; the one it stopped in is cancelled with whole pages; none after began.
    const logs = run.entityLogs;
    expect(logs.map((e) => e.entityType)).toEqual(ENTITIES.slice(0, logs.length));
    expect(logs.length).toBeLessThan(ENTITIES.length);
    const stopped = logs.at(-1)!;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.recordsSeen % 100).toBe(0);
    expect(stopped.recordsSeen).toBeLessThan(p.sim.dataset.count(stopped.entityType as never));
    for (const done of logs.slice(0, -1)) {
      expect(done).toMatchObject({
        status: 'completed',
        recordsFetched: p.sim.dataset.count(done.entityType as never),
      });
    }
    const fetchedSoFar = logs.reduce((n, e) => n + seen(e), 0);
    expect(fetchedSoFar).toBeGreaterThanOrEqual(500);
    expect(runTotals(run)).toMatchObject({ fetched: fetchedSoFar, inserted: fetchedSoFar, failed: 0 });

    // A restart (kill -9, the harshest) does not resume it: its command was committed.
    await p.ingest.kill9();
    await p.startIngest();
    await sleep(5000);
    expect(p.sim.stats().totalRequests).toBe(stoppedAt);
    expect(await getRun(p.pool, syncId)).toMatchObject({ status: 'cancelled' });
    expect((await tributary(p, ['cancel', syncId])).code).toBe(1); // already ended

    // The next sync is a new run from page 1, and completes.
    const second = await runCli(p, ['--skip-users', '--skip-offices']);
    expect(second.code).toBe(0);
    const next = await getRun(p.pool, syncIdOf(second.stdout));
    expect(next).toMatchObject({ status: 'completed' });
    for (const entity of ENTITIES) {
      expect(next!.entityLogs.find((e) => e.entityType === entity)).toMatchObject({
        status: 'completed',
        recordsFetched: p.sim.dataset.count(entity as never),
      });
    }
    expect(p.sim.stats().totalRequests - stoppedAt).toBeGreaterThanOrEqual(totalPages);
  });
});
