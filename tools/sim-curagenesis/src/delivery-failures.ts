import { LogEvents, type Logger } from '@tributary/observability';

/** Node's codes for a receiver that is not there (refused, reset, gone), anywhere in the cause chain. */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ENOTFOUND']);

export function connectionFailureCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e !== null && typeof e === 'object' && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_FAILURES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What the trickle says when a delivery fails. A receiver that cannot be reached is one line per
 * outage, not a warning with a stack per delivery: npm start stops the gateway before the
 * simulators (the ingests finish their pages against them), and a gateway restarting is ordinary.
 * Any other failure is a warning with its error.
 */
export function deliveryFailureLog(
  log: Pick<Logger, 'info' | 'warn'>,
  target: string,
  accepted: () => number,
): (err: unknown) => void {
  let acceptedAtOutage: number | undefined;
  return (err) => {
    const code = connectionFailureCode(err);
    if (code === undefined) {
      log.warn(LogEvents.toolStep, 'webhook delivery failed', { err });
      return;
    }
    // The same outage until a delivery got through since it was reported.
    if (acceptedAtOutage === accepted()) return;
    acceptedAtOutage = accepted();
    log.info(
      LogEvents.toolStep,
      `webhook receiver ${target} unreachable (${code}): deliveries fail until it answers`,
      {
        target,
        code,
      },
    );
  };
}
