import type { Command } from 'commander';
import { planReplay, replayPlanned, type ReplayPlan } from '@tributary/kafka';
import {
  dlqCommand,
  dlqTopics,
  fit,
  letterJson,
  letterLines,
  parseTime,
  positiveCount,
  printJson,
  TIME_HELP,
  withKafka,
} from './dlq-shared';

interface ReplayOptions {
  topic?: string;
  errorCode?: string;
  since?: Date;
  limit?: number;
  dryRun?: boolean;
  json?: boolean;
}

function summary(plan: ReplayPlan, replayed: number | undefined): string[] {
  const did = replayed === undefined ? `would replay ${plan.toReplay.length}` : `replayed ${replayed}`;
  const left = plan.unreplayable.length > 0 ? `, ${plan.unreplayable.length} left` : '';
  const lines = [
    fit(plan.dlqTopic, 80),
    `  ${did} to the origin topic, ${plan.alreadyReplayed} replayed before${left}`,
  ];
  for (const { letter, reason } of plan.unreplayable) {
    lines.push(fit(`  left ${letter.partition}:${letter.offset}: ${reason}`, 80));
  }
  return lines;
}

/**
 * `tributary dlq replay`: dead letters back to their origin topic (only that one), each with a
 * replay marker in the DLQ in the same transaction: replaying twice re-sends nothing.
 */
export function registerDlqReplay(program: Command): void {
  dlqCommand(program)
    .command('replay')
    .description('produce dead letters back to their origin topic, once each')
    .option('--topic <topic>', 'only this topic (the origin or its .dlq)')
    .option('--error-code <code>', 'only records with this x-dlq-error-code')
    .option('--since <time>', `only records dead-lettered since: ${TIME_HELP}`, parseTime)
    .option('--limit <n>', 'at most this many records per topic', positiveCount)
    .option('--dry-run', 'say what would be replayed; send nothing')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nA record goes back only to the topic its x-dlq-origin-topic names, and only\nif that topic owns the DLQ. Replayed records are marked in the DLQ.',
    )
    .action(async (opts: ReplayOptions) => {
      const filter = { errorCode: opts.errorCode, since: opts.since };
      const results = await withKafka(async ({ kafka }) => {
        const out: { plan: ReplayPlan; replayed?: number }[] = [];
        for (const dlqTopic of (await dlqTopics(kafka, opts.topic)).topics) {
          const plan = await planReplay({ kafka, dlqTopic, filter, limit: opts.limit });
          if (opts.dryRun) out.push({ plan });
          else {
            const result = await replayPlanned(
              { kafka, dlqTopic, replayedBy: process.env.USER ?? 'cli' },
              plan,
            );
            out.push({ plan, replayed: result.replayed });
          }
        }
        return out;
      });
      if (opts.json) {
        printJson(
          results.map(({ plan, replayed }) => ({
            dlqTopic: plan.dlqTopic,
            dryRun: Boolean(opts.dryRun),
            replayed: replayed ?? 0,
            toReplay: plan.toReplay.map(letterJson),
            alreadyReplayed: plan.alreadyReplayed,
            unreplayable: plan.unreplayable.map(({ letter, reason }) => ({ ...letterJson(letter), reason })),
          })),
        );
        return;
      }
      if (results.length === 0) process.stdout.write('no dead letters\n');
      for (const { plan, replayed } of results) {
        process.stdout.write(`${summary(plan, replayed).join('\n')}\n`);
        if (opts.dryRun)
          for (const l of plan.toReplay) process.stdout.write(`${letterLines(l).join('\n')}\n`);
      }
    });
}
