import type { Command } from 'commander';
import { planPurge, purgeDlq, readDeadLetters, type PurgePlan } from '@tributary/kafka';
import { CliExit, EXIT } from '../exit-codes';
import { dlqCommand, dlqTopics, fit, parseTime, printJson, TIME_HELP, withKafka } from './dlq-shared';

interface PurgeOptions {
  topic?: string;
  before?: Date;
  yes?: boolean;
  json?: boolean;
}

interface Purge {
  plan: PurgePlan;
  /** Dead letters in the purged range that were never replayed. */
  neverReplayed: number;
}

/** `tributary dlq purge`: deletes DLQ records (all, or those written before a time) with Kafka's DeleteRecords. */
export function registerDlqPurge(program: Command): void {
  dlqCommand(program)
    .command('purge')
    .description('delete the records of DLQ topics (Kafka DeleteRecords); needs --yes')
    .option('--topic <topic>', 'only this topic (the origin or its .dlq); default: every DLQ')
    .option('--before <time>', `only records written before: ${TIME_HELP}`, parseTime)
    .option('--yes', 'really delete (without it: say what would be deleted, exit 2)')
    .option('--json', 'print JSON')
    .action(async (opts: PurgeOptions) => {
      const purges = await withKafka(async ({ kafka }) => {
        const out: Purge[] = [];
        for (const dlqTopic of (await dlqTopics(kafka, opts.topic)).topics) {
          const plan = await planPurge(kafka, dlqTopic, opts.before);
          if (plan.records === 0) continue;
          const { letters } = await readDeadLetters(kafka, dlqTopic);
          const cut = new Map(plan.partitions.map((p) => [p.partition, BigInt(p.to)]));
          const neverReplayed = letters.filter(
            (l) => !l.replayedAt && BigInt(l.offset) < (cut.get(l.partition) ?? 0n),
          ).length;
          out.push({ plan, neverReplayed });
        }
        if (opts.yes) for (const { plan } of out) await purgeDlq(kafka, plan);
        return out;
      });
      if (opts.json)
        printJson(
          purges.map(({ plan, neverReplayed }) => ({ ...plan, neverReplayed, purged: Boolean(opts.yes) })),
        );
      else if (purges.length === 0) process.stdout.write('nothing to purge\n');
      else {
        const verb = opts.yes ? 'purged' : 'would purge';
        for (const { plan, neverReplayed } of purges) {
          process.stdout.write(
            `${fit(plan.dlqTopic, 80)}\n  ${verb} ${plan.records} records, ${neverReplayed} of them dead letters never replayed\n`,
          );
        }
      }
      if (!opts.yes && purges.length > 0)
        throw new CliExit(EXIT.usage, 'nothing deleted: add --yes to purge');
    });
}
