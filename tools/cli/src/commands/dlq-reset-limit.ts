import type { Command } from 'commander';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';
import { pgDlqLimitStore } from '../../../../services/projector/src/data-access/pg-dlq-limit-store';
import { dlqCommand, printJson, utc, wrap } from './dlq-shared';

/** `tributary dlq reset-limit --group g`: clears a tripped DLQ limit, so that the group's consumers go on. */
export function registerDlqResetLimit(program: Command): void {
  dlqCommand(program)
    .command('reset-limit')
    .description("clear a consumer group's tripped DLQ limit and its counts")
    .requiredOption('--group <group>', 'the consumer group (as the log line and alert name it)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nFix the cause first (`tributary dlq list`); the consumers start again within\nPROJECTOR_DLQ_TRIP_POLL_MS (5 s by default); then `tributary dlq replay`.',
    )
    .action(async (opts: { group: string; json?: boolean }) => {
      const by = process.env.USER ?? 'cli';
      const trip = await withReadModels((pool) => pgDlqLimitStore(pool).reset(opts.group, by));
      if (!trip) throw new CliExit(EXIT.failed, `group ${opts.group} has no tripped DLQ limit`);
      if (opts.json) {
        printJson({ cleared: trip, by });
        return;
      }
      const lines = [
        `cleared the DLQ limit of ${opts.group}`,
        `tripped ${utc(trip.trippedAt)} UTC on ${trip.topic}[${trip.partition}]:`,
        ...wrap(trip.message, 80, '  '),
      ];
      process.stdout.write(`${lines.flatMap((l) => wrap(l, 80)).join('\n')}\n`);
    });
}
