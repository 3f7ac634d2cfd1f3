import type { Command } from 'commander';
import { registerCancel } from './cancel';
import { registerDlqList } from './dlq-list';
import { registerDlqPurge } from './dlq-purge';
import { registerDlqReplay } from './dlq-replay';
import { registerDlqResetLimit } from './dlq-reset-limit';
import { registerDlqShow } from './dlq-show';
import { registerReconcile } from './reconcile';
import { registerRebuild } from './rebuild';
import { registerRuns } from './runs';
import { registerStatus } from './status';
import { registerSync } from './sync';
import { registerTopics } from './topics';
import { registerTokens } from './tokens';
import { registerUsers } from './users';

/** Every `tributary` command, in `--help` order: one line per command file. */
export const COMMANDS: readonly ((program: Command) => void)[] = [
  registerSync,
  registerStatus,
  registerRuns,
  registerCancel,
  registerReconcile,
  registerRebuild,
  registerDlqList,
  registerDlqShow,
  registerDlqReplay,
  registerDlqPurge,
  registerDlqResetLimit,
  registerUsers,
  registerTokens,
  registerTopics,
];
