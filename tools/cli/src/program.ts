import { Command, CommanderError } from 'commander';
import { errorMessage } from '@tributary/core';
import { COMMANDS } from './commands';
import { CliExit, EXIT, EXIT_CODES_HELP } from './exit-codes';

/** The `tributary` program with every command registered (built anew for each run, so tests can drive it). */
export function buildProgram(): Command {
  const program = new Command('tributary')
    .description('Tributary: sync RepCard and CuraGenesis into PostgreSQL, and operate it')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs `tributary` with `argv` (without node and the script); resolves to the exit code. */
export async function runProgram(argv: readonly string[]): Promise<number> {
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? EXIT.ok);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; a usage error was already printed.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliExit) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.code;
    }
    process.stderr.write(`error: ${errorMessage(err)}\n`);
    return EXIT.failed;
  }
}
