/** The exit codes of every `tributary` command (documented in `tributary --help`). */
export const EXIT = {
  ok: 0,
  /** The thing asked about failed: a sync failed or was skipped, a run is unknown. */
  failed: 1,
  /** Bad options or missing configuration. */
  usage: 2,
  /** `reconcile`: the report found a gap (the read model misses records the source has). */
  gap: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Ends a command with `code` after printing `message` on stderr. */
export class CliExit extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

export const EXIT_CODES_HELP = `Exit codes: ${EXIT.ok} done, ${EXIT.failed} the sync (or what was asked about) failed or\nis unknown, ${EXIT.usage} bad options or configuration, ${EXIT.gap} reconcile found a gap.`;
