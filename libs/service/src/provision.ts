import { TributaryError, errorMessage, sleep } from '@tributary/core';
import type { ContractLike, SchemaCodec } from '@tributary/kafka';
import type { Logger } from '@tributary/observability';

/** Registry answers that no retry changes: the schema itself is refused. */
const FINAL_SCHEMA_CODES = new Set(['SCHEMA_INCOMPATIBLE', 'SCHEMA_INVALID', 'SCHEMA_REGISTRY_UNAUTHORIZED']);

export interface RegisterRetry {
  /** Attempts per contract (default 8: about 10 s with the backoff below). */
  attempts?: number;
  /** First wait, doubled per attempt up to 2 s (default 100 ms); a random 0..50% is added. */
  initialDelayMs?: number;
}

/** The wait before attempt `attempt + 1` (without jitter). */
export function registerDelayMs(attempt: number, initialDelayMs = 100): number {
  return Math.min(2_000, initialDelayMs * 2 ** (attempt - 1));
}

/**
 * Registers every contract's schema. Services starting together race on a subject's first
 * registration (the registry answers a conflict, or 5xx while another writes the same version):
 * those are retried with jittered backoff; an incompatible or invalid schema is final at once.
 */
export async function registerContracts(
  codec: Pick<SchemaCodec, 'register'>,
  contracts: readonly ContractLike<unknown>[],
  logger?: Pick<Logger, 'warn'>,
  retry: RegisterRetry = {},
): Promise<void> {
  const { attempts = 8, initialDelayMs = 100 } = retry;
  for (const contract of contracts) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await codec.register(contract);
        break;
      } catch (err) {
        const final = err instanceof TributaryError && FINAL_SCHEMA_CODES.has(err.code);
        if (final || attempt >= attempts) throw err;
        const delay = registerDelayMs(attempt, initialDelayMs);
        logger?.warn(
          'schema.registered',
          `registering ${contract.subject} raced or failed (${errorMessage(err)}): retry ${attempt}/${attempts - 1}`,
          {
            subject: contract.subject,
            attempt,
          },
        );
        await sleep(delay + Math.floor(Math.random() * delay * 0.5));
      }
    }
  }
}
