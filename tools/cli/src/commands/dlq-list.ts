import type { Command } from 'commander';
import { matchesFilter, readDeadLetters } from '@tributary/kafka';
import {
  dlqCommand,
  dlqTopics,
  fit,
  letterJson,
  letterLines,
  parseTime,
  printJson,
  TIME_HELP,
  withKafka,
} from './dlq-shared';

interface ListOptions {
  topic?: string;
  errorCode?: string;
  since?: Date;
  json?: boolean;
}

/** `tributary dlq list`: per DLQ topic its counts, then its dead letters (error, origin, time). */
export function registerDlqList(program: Command): void {
  dlqCommand(program)
    .command('list')
    .description('each DLQ topic with its counts, then its records: error, origin, time')
    .option('--topic <topic>', 'only this topic (the origin or its .dlq)')
    .option('--error-code <code>', 'only records with this x-dlq-error-code')
    .option('--since <time>', `only records dead-lettered since: ${TIME_HELP}`, parseTime)
    .option('--json', 'print JSON')
    .action(async (opts: ListOptions) => {
      const filter = { errorCode: opts.errorCode, since: opts.since };
      const { listed, empty } = await withKafka(async ({ kafka }) => {
        const { topics, empty } = await dlqTopics(kafka, opts.topic);
        const { letters } = topics.length > 0 ? await readDeadLetters(kafka, topics) : { letters: [] };
        const byTopic = topics.map((dlqTopic) => {
          const all = letters.filter((l) => l.dlqTopic === dlqTopic);
          return { dlqTopic, letters: all.filter((l) => matchesFilter(l, filter)), total: all.length };
        });
        return { listed: byTopic, empty };
      });
      if (opts.json) {
        printJson(
          listed.map(({ dlqTopic, letters, total }) => ({
            dlqTopic,
            deadLetters: total,
            matching: letters.length,
            replayed: letters.filter((l) => l.replayedAt).length,
            records: letters.map(letterJson),
          })),
        );
        return;
      }
      const emptyNote = empty > 0 ? ` (${empty} empty DLQ topics not shown)` : '';
      if (listed.length === 0) {
        process.stdout.write(`no dead letters${emptyNote}\n`);
        return;
      }
      if (emptyNote) process.stdout.write(`${emptyNote.slice(2, -1)}\n`);
      process.stdout.write(`${'DLQ topic'.padEnd(52)} ${'dead'.padStart(7)} ${'replayed'.padStart(9)}\n`);
      for (const { dlqTopic, letters } of listed) {
        const replayed = letters.filter((l) => l.replayedAt).length;
        process.stdout.write(
          `${fit(dlqTopic, 52).padEnd(52)} ${String(letters.length).padStart(7)} ${String(replayed).padStart(9)}\n`,
        );
      }
      for (const { dlqTopic, letters } of listed) {
        if (letters.length === 0) continue;
        process.stdout.write(
          `\n${fit(dlqTopic, 80)}\n  ${'p:offset'.padEnd(9)} ${'failed (UTC)'.padEnd(19)}  ${'error code'.padEnd(22)} origin\n`,
        );
        for (const l of letters) process.stdout.write(`${letterLines(l).join('\n')}\n`);
      }
    });
}
