import type { SyncRequested } from '@tributary/contracts';

/**
 * The classes of work that spend one API key's budget, highest first (issue 13 item 5, ADR 0026):
 * a webhook's re-fetch of one record, a sync someone asked for now ("Sync Now", the CLI, the API),
 * a scheduled sync, a backfill (a full sync of a date window: reconcile's targeted backfills,
 * `sync --start-date`), a completeness check. When the budget is spent, a freed slot goes to the
 * highest class waiting, first come first served within a class.
 */
export const BUDGET_PRIORITIES = ['hint', 'manual', 'schedule', 'backfill', 'reconcile'] as const;
export type BudgetPriority = (typeof BUDGET_PRIORITIES)[number];

/** 0 for `hint` (served first) up to 4 for `reconcile`. */
export function priorityRank(priority: BudgetPriority): number {
  return BUDGET_PRIORITIES.indexOf(priority);
}

/**
 * The class of a sync command. A full sync over a date window is a backfill whoever asked for it;
 * otherwise a scheduled one is `schedule` and one asked for by a person or a program is `manual`.
 */
export function commandPriority(command: Pick<SyncRequested, 'trigger' | 'mode' | 'window'>): BudgetPriority {
  const windowed = command.window.from !== null || command.window.to !== null;
  if (command.mode === 'full' && windowed) return 'backfill';
  return command.trigger === 'schedule' ? 'schedule' : 'manual';
}
