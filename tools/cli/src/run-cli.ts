import type { Pool } from 'pg';
import { SyncRequestedContract, type Source, type SyncRequested } from '@tributary/contracts';
import { errorMessage, sleep } from '@tributary/core';
import { loadStackEnv } from '@tributary/config';
import { createPool } from '@tributary/db';
import { createPublisher } from '@tributary/kafka';
import { nullLogger } from '@tributary/observability';
import { connectPlatform } from '@tributary/service';
import { newSyncCommand } from '@tributary/sync';
import { UsageError, type CliRequest } from './args';
import { dryRun } from './dry-run';
import { getRun } from '@tributary/read-model';
import { wordWrap } from './commands/dlq-shared';
import { LiveBlock, fit, progressBlock, progressLine } from './progress';
import { summaryTable } from './report';

export interface CliSpec {
  source: Source;
  usage: string;
  parse(argv: readonly string[]): CliRequest;
}

const ENV_HELP = 'run `npm run stack:up` first, or set KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL';

/**
 * The sync CLI shared by both sources: publishes a SyncRequested command, shows each entity's
 * progress from the sync log (bars on a terminal, plain lines otherwise), waits until the projection
 * has applied everything, prints a summary table, and exits 0 / 1 (failed) / 2 (bad options).
 */
export async function runCli(spec: CliSpec, argv: readonly string[]): Promise<number> {
  let req: CliRequest;
  try {
    req = spec.parse(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (req.help) {
    process.stdout.write(`${spec.usage}\n`);
    return 0;
  }
  loadStackEnv();
  if (req.dryRun) return dryRun(spec.source, req);
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = process.env;
  if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !DATABASE_URL) {
    process.stderr.write(`error: the stack is not configured: ${ENV_HELP}\n`);
    return 2;
  }
  const command = newSyncCommand({
    source: spec.source,
    mode: req.mode,
    entities: req.entities,
    from: req.from,
    to: req.to,
    trigger: 'cli',
    requestedBy: process.env.USER ?? 'cli',
    force: req.force,
  });
  const { kafka, codec } = await connectPlatform({
    brokers: KAFKA_BROKERS.split(','),
    registryUrl: SCHEMA_REGISTRY_URL,
    clientId: 'sync-cli',
    logger: nullLogger(),
  });
  const publisher = await createPublisher({ kafka, codec });
  try {
    await publisher.publish([{ contract: SyncRequestedContract, key: spec.source, value: command }]);
  } finally {
    await publisher.close();
  }
  // The id on a line of its own and the entities below it: 80 columns hold both.
  process.stdout.write(
    `${spec.source} ${req.mode} sync requested: ${command.syncId}\n${wordWrap(`of ${req.entities.join(', ')}`, 80, '  ').join('\n')}\n`,
  );
  if (!req.wait) return 0;
  const pool = createPool(DATABASE_URL, { max: 1, applicationName: 'sync-cli' });
  try {
    return await follow(pool, command, req.entities);
  } finally {
    await pool.end();
  }
}

async function follow(pool: Pool, command: SyncRequested, entities: string[]): Promise<number> {
  const tty = Boolean(process.stdout.isTTY);
  const live = new LiveBlock(process.stdout);
  let lastPlain = new Map<string, string>();
  let lastPlainAt = 0;
  let waitingSince = Date.now();
  for (;;) {
    const run = await getRun(pool, command.syncId);
    const rows = (run?.entityLogs ?? []).sort(
      (a, b) => entities.indexOf(a.entityType) - entities.indexOf(b.entityType),
    );
    const status = run?.status;
    if (tty) {
      // Read each time: the terminal may be resized while the run goes on.
      const columns = process.stdout.columns || 80;
      live.draw(
        rows.length
          ? progressBlock(rows, columns)
          : [fit('waiting for ingest to pick up the command...', columns - 1)],
      );
    } else {
      const now = Date.now();
      const current = new Map(rows.map((r) => [r.entityType, `${r.status}:${r.pages}:${r.recordsFetched}`]));
      const changed = rows.filter((r) => lastPlain.get(r.entityType) !== current.get(r.entityType));
      if (changed.length && now - lastPlainAt > 2000) {
        for (const r of changed) process.stdout.write(`${progressLine(r)}\n`);
        lastPlain = current;
        lastPlainAt = now;
      }
    }
    if (status && status !== 'running') {
      process.stdout.write(
        `\n${summaryTable(rows)}\n\nsync ${command.syncId}: ${status}${run?.errorMessage ? ` (${run.errorMessage})` : ''}\n`,
      );
      return status === 'completed' ? 0 : 1;
    }
    if (!status && Date.now() - waitingSince > 120_000) {
      process.stderr.write(
        `error: no ingest service picked up the command within 2 minutes: is \`npm start\` running?\n`,
      );
      return 1;
    }
    if (status) waitingSince = Date.now();
    await sleep(tty ? 300 : 1000);
  }
}

export function main(spec: CliSpec): void {
  runCli(spec, process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`error: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
