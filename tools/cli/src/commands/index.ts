import type { Command } from 'commander';
import { registerRuns } from './runs';
import { registerStatus } from './status';
import { registerSync } from './sync';

/** Every `tributary` command, in `--help` order: one line per command file. */
export const COMMANDS: readonly ((program: Command) => void)[] = [registerSync, registerStatus, registerRuns];
