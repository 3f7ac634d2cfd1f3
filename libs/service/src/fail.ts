import { errorMessage } from '@tributary/core';
import type { Logger } from '@tributary/observability';

let failed = false;

/** True once `failService` ran in this process: the service exits 1 after its graceful stop. */
export function serviceFailed(): boolean {
  return failed;
}

/**
 * A final fault of a running service (a fenced producer, a consumer that stopped on its own): logs
 * it once, marks the process to exit 1, and stops the service gracefully (SIGTERM to itself, which
 * `runService` handles). Returns the handler, e.g. `onFenced: failService(logger, 'transactional producer')`.
 */
export function failService(logger: Pick<Logger, 'error'>, what: string): (err: unknown) => void {
  return (err) => {
    if (failed) return;
    failed = true;
    process.exitCode = 1;
    logger.error('service.failed', `${what}: ${errorMessage(err)}; stopping (exit 1)`, { err });
    process.kill(process.pid, 'SIGTERM');
  };
}
