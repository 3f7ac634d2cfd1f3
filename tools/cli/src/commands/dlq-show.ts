import type { Command } from 'commander';
import { errorMessage } from '@tributary/core';
import { dlqTopicFor, readDeadLetters } from '@tributary/kafka';
import { CliExit, EXIT } from '../exit-codes';
import { dlqCommand, letterJson, printJson, withKafka, wrap } from './dlq-shared';

function nonNegative(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new CliExit(EXIT.usage, `${name}: ${value} is not a whole number >= 0`);
  return n;
}

/** `tributary dlq show <topic> <partition> <offset>`: one dead letter, its headers and decoded value. */
export function registerDlqShow(program: Command): void {
  dlqCommand(program)
    .command('show')
    .description('one dead letter: its headers and its value, decoded')
    .argument('<topic>', 'the DLQ topic (or its origin topic)')
    .argument('<partition>', 'partition of the DLQ topic')
    .argument('<offset>', 'offset in that partition (as `tributary dlq list` shows)')
    .option('--json', 'print JSON')
    .action(async (topic: string, partitionArg: string, offsetArg: string, opts: { json?: boolean }) => {
      const partition = nonNegative('<partition>', partitionArg);
      const offset = String(nonNegative('<offset>', offsetArg));
      const dlqTopic = dlqTopicFor(topic);
      const shown = await withKafka(async ({ kafka, codec }) => {
        const { letters } = await readDeadLetters(kafka, dlqTopic, { partition });
        const letter = letters.find((l) => l.offset === offset);
        if (!letter)
          throw new CliExit(
            EXIT.failed,
            `no dead letter at ${dlqTopic}[${partition}]@${offset} (purged, a replay marker, or past the end)`,
          );
        let value: unknown;
        let undecodable: string | undefined;
        try {
          if (!codec) throw new Error('SCHEMA_REGISTRY_URL is not set');
          value = await codec.decode(letter.value);
        } catch (err) {
          undecodable = errorMessage(err);
          value = letter.value?.toString('utf8') ?? null;
        }
        return { letter, value, undecodable };
      });
      const { letter, value, undecodable } = shown;
      if (opts.json) {
        printJson({
          ...letterJson(letter),
          headers: letter.headers,
          value,
          ...(undecodable ? { undecodable } : {}),
        });
        return;
      }
      const lines = [
        `${dlqTopic}[${partition}]@${offset}`,
        `key: ${letter.key?.toString() ?? '(none)'}`,
        'headers:',
      ];
      for (const [name, v] of Object.entries(letter.headers).sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(...wrap(`${name}: ${v}`, 80, '  '));
      }
      if (undecodable) lines.push(...wrap(`not decodable: ${undecodable}`, 80), 'value, as text:');
      else lines.push('value:');
      const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
      lines.push(...wrap(text ?? 'null', 80, '  '));
      process.stdout.write(`${lines.map((l) => (l.length > 80 ? wrap(l, 80).join('\n') : l)).join('\n')}\n`);
    });
}
