import { Argument, type Command } from 'commander';
import { SOURCES, type Source } from '@tributary/contracts';
import { loadStackEnv } from '@tributary/config';
import { errorMessage } from '@tributary/core';
import { createPool } from '@tributary/db';
import { nullLogger } from '@tributary/observability';
import { connectPlatform } from '@tributary/service';
import {
  rebuildSource,
  rebuildTargets,
  type RebuildProgress,
} from '../../../../services/projector/src/rebuild/rebuild';
import { CliExit, EXIT } from '../exit-codes';
import { LiveBlock } from '../progress';
import { plainLineOf, progressLineOf, resultLines } from '../rebuild/format';

const ENV_HELP = 'run `npm run stack:up` first, or set KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL';
/** Off a terminal, one progress line at most this often (and at each phase). */
const PLAIN_EVERY_MS = 2_000;

/** Progress on stderr: one redrawn line on a terminal, plain lines every few seconds otherwise. */
function progressPrinter(source: string): (p: RebuildProgress) => void {
  const out = process.stderr;
  if (out.isTTY) {
    const live = new LiveBlock(out);
    let last = 0;
    return (p) => {
      if (p.phase === 'replay' && performance.now() - last < 100) return;
      last = performance.now();
      live.draw([progressLineOf(source, p, out.columns || 80)]);
    };
  }
  let last = 0;
  let phase = '';
  return (p) => {
    if (p.phase === phase && performance.now() - last < PLAIN_EVERY_MS) return;
    last = performance.now();
    phase = p.phase;
    out.write(`${plainLineOf(source, p)}\n`);
  };
}

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description("rebuild a source's read models from its Kafka topics, then swap them in")
    .addArgument(new Argument('<source>', 'the source whose read models to rebuild').choices([...SOURCES]))
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nReplays the topics into <table>__rebuild shadow tables while the live tables\nserve, then swaps them in one transaction (ADR 0021). The sync log is not\nchanged. Progress goes to stderr, the counts to stdout. RepCard only for now.',
    )
    .action(async (source: Source, opts: { json?: boolean }) => {
      try {
        rebuildTargets(source);
      } catch (err) {
        throw new CliExit(EXIT.usage, errorMessage(err));
      }
      loadStackEnv();
      const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = process.env;
      if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !DATABASE_URL)
        throw new CliExit(EXIT.usage, `the stack is not configured: ${ENV_HELP}`);
      const { kafka, codec } = await connectPlatform({
        brokers: KAFKA_BROKERS.split(','),
        registryUrl: SCHEMA_REGISTRY_URL,
        clientId: 'tributary-rebuild',
        logger: nullLogger(),
      });
      const pool = createPool(DATABASE_URL, { max: 3, applicationName: 'tributary-rebuild' });
      try {
        const result = await rebuildSource({
          pool,
          kafka,
          codec,
          source,
          onProgress: opts.json ? undefined : progressPrinter(source),
        });
        process.stdout.write(
          opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${resultLines(result).join('\n')}\n`,
        );
      } finally {
        await pool.end();
      }
    });
}
