import type { Command } from 'commander';
import { loadConfig, loadStackEnv } from '@tributary/config';
import { ConfigError } from '@tributary/core';
import { strimziKafkaTopics, type PlannedTopic } from '@tributary/kafka';
import { kafkaClusterSchema, topicPlanOf } from '@tributary/service';
import { CliExit, EXIT } from '../exit-codes';

const DAY_MS = 86_400_000;

/** `retention.ms` as a reader says it: forever, 7 d, 36 h, the broker's default. */
export function retentionText(ms: number | undefined): string {
  if (ms === undefined) return 'default';
  if (ms === -1) return 'forever';
  if (ms % DAY_MS === 0) return `${ms / DAY_MS} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${ms} ms`;
}

/** The plan as a table within 80 columns. */
export function planTable(plan: readonly PlannedTopic[]): string {
  const width = Math.min(42, Math.max(5, ...plan.map((t) => t.name.length)));
  const cut = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width));
  const row = (cols: string[]) =>
    `${cut(cols[0]!)} ${cols[1]!.padEnd(10)} ${cols[2]!.padStart(4)} ${cols[3]!.padStart(2)} ${cols[4]!.padStart(3)} ${cols[5]!.padEnd(7)} ${cols[6]!}`;
  return [
    row(['topic', 'family', 'part', 'rf', 'isr', 'cleanup', 'retention']),
    ...plan.map((t) =>
      row([
        t.name,
        t.family,
        String(t.partitions),
        String(t.replicationFactor),
        String(t.minInsyncReplicas),
        t.cleanupPolicy,
        retentionText(t.retentionMs),
      ]),
    ),
  ].join('\n');
}

export function registerTopics(program: Command): void {
  program
    .command('topics')
    .description('the topic plan the services create or check (KAFKA_TOPIC_* variables)')
    .option('--json', 'print JSON')
    .option('--strimzi', 'print Strimzi KafkaTopic resources (YAML)')
    .option('--cluster <name>', 'the strimzi.io/cluster label', 'tributary-kafka')
    .option('--namespace <ns>', 'metadata.namespace of the KafkaTopic resources')
    .action((opts: { json?: boolean; strimzi?: boolean; cluster: string; namespace?: string }) => {
      loadStackEnv();
      let plan: PlannedTopic[];
      try {
        plan = topicPlanOf(loadConfig(kafkaClusterSchema));
      } catch (err) {
        if (err instanceof ConfigError) throw new CliExit(EXIT.usage, err.message);
        throw err;
      }
      if (opts.strimzi)
        process.stdout.write(
          strimziKafkaTopics(plan, {
            cluster: opts.cluster,
            ...(opts.namespace ? { namespace: opts.namespace } : {}),
          }),
        );
      else if (opts.json) process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
      else process.stdout.write(`${planTable(plan)}\n`);
    });
}
