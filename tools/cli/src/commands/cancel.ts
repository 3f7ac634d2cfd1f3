import type { Command } from 'commander';
import { migrateAccounts, recordAudit } from '@tributary/auth';
import { createPublisher } from '@tributary/kafka';
import { findCancelTarget } from '@tributary/read-model';
import { cancelRequestRecord, decideCancel } from '@tributary/sync';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';
import { withKafka } from './dlq-shared';

/**
 * `tributary cancel <sync-id>`: the CLI twin of `POST /api/admin/sync/runs/:syncId/cancel` (ADR
 * 0017). Publishes a SyncCancelRequested on sync.control: a running sync stops at its next page and
 * ends `cancelled` with its counts so far, a queued one never runs. Exit 0 once Kafka has it, 1 for
 * an unknown id or a run that has already ended, 2 without configuration.
 */
export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description('cancel a queued or running sync: it stops at its next page and is never resumed')
    .argument('<sync-id>', 'the run id (as `tributary runs` or `tributary sync` print it)')
    .option('--json', 'print the answer as JSON')
    .action(async (syncId: string, opts: { json?: boolean }) => {
      const requestedBy = process.env.USER || 'cli';
      const decision = await withReadModels(async (pool) => {
        const found = decideCancel(syncId, await findCancelTarget(pool, syncId), requestedBy, new Date());
        await migrateAccounts(pool);
        await recordAudit(pool, {
          actor: `cli:${requestedBy}`,
          credential: 'cli',
          action: 'sync.cancel',
          target: syncId,
          outcome: found.outcome === 'requested' ? 'ok' : 'refused',
          details:
            found.outcome === 'ended' ? { reason: 'ended', status: found.status } : { reason: found.outcome },
        });
        return found;
      });
      if (decision.outcome === 'unknown')
        throw new CliExit(EXIT.failed, `no sync run or queued request ${syncId}`);
      if (decision.outcome === 'ended')
        throw new CliExit(
          EXIT.failed,
          `sync ${syncId} has already ended (${decision.status}): nothing to cancel`,
        );
      await withKafka(async ({ kafka, codec }) => {
        if (!codec)
          throw new CliExit(EXIT.usage, 'the schema registry is not configured: set SCHEMA_REGISTRY_URL');
        const publisher = await createPublisher({ kafka, codec });
        try {
          await publisher.publish([cancelRequestRecord(decision.command)]);
        } finally {
          await publisher.close();
        }
      });
      const answer = {
        syncId,
        source: decision.source,
        status: 'cancel_requested',
        state: decision.state,
        requestedBy,
        requestedAt: decision.command.requestedAt,
      };
      if (opts.json) return void process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      process.stdout.write(
        decision.state === 'queued'
          ? `${decision.source} sync ${syncId}: cancel requested; it will never run\n`
          : `${decision.source} sync ${syncId}: cancel requested; it stops at its next page (\`tributary run ${syncId}\` shows its counts)\n`,
      );
    });
}
