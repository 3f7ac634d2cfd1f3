import type { Command } from 'commander';
import type { Source } from '@tributary/contracts';
import { CURAGENESIS_USAGE, parseCuragenesisArgs, parseRepcardArgs, REPCARD_USAGE } from '../args';
import { CliExit, EXIT } from '../exit-codes';
import { runCli, type CliSpec } from '../run-cli';

/** Each source's sync CLI: its flags (the old scripts'), parsed through the sync-options schema. */
export const SYNC_SPECS: Readonly<Record<Source, CliSpec>> = {
  repcard: { source: 'repcard', usage: REPCARD_USAGE, parse: parseRepcardArgs },
  curagenesis: { source: 'curagenesis', usage: CURAGENESIS_USAGE, parse: parseCuragenesisArgs },
};

/** `tributary sync <source> [flags]`: the same as `npm run sync:<source> -- [flags]`. */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('request a sync of a source, follow its progress, print a summary')
    .argument('<source>', `one of ${Object.keys(SYNC_SPECS).join(', ')}`)
    .argument('[flags...]', "the source's flags: `tributary sync <source> --help` lists them")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (source: string, flags: string[], _options: unknown, command: Command) => {
      // The source's own parser reads its flags (and `--help`), so commander's help is off: without
      // a source, `--help` prints this command's.
      if (source === '--help' || source === '-h') {
        process.stdout.write(command.helpInformation());
        return;
      }
      const spec = SYNC_SPECS[source as Source];
      if (!spec)
        throw new CliExit(
          EXIT.usage,
          `unknown source ${source}: one of ${Object.keys(SYNC_SPECS).join(', ')}`,
        );
      process.exitCode = await runCli(spec, flags);
    });
}
