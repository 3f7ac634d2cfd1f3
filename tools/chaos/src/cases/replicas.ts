import { sleep } from '@tributary/core';
import { waitForPages } from '../progress';
import { runScenario } from '../scenario';
import type { ChaosCase } from '../types';

/** kafkajs's default consumer session timeout (the projector does not change it). */
const SESSION_TIMEOUT_MS = 30_000;

/**
 * Two projector replicas share the partitions; one is frozen (SIGSTOP) in the middle of a sync for
 * longer than its session timeout, so the group gives its partitions to the other, then it is
 * thawed (SIGCONT) and finds out. A batch it had in hand when frozen must not be applied twice
 * (rows, or the sync log's tallies).
 */
export const replicasCase: ChaosCase = {
  name: 'replicas',
  fault: () =>
    `two projector replicas, one frozen (SIGSTOP) ${(SESSION_TIMEOUT_MS + 15_000) / 1000} s, past its session timeout`,
  run: (ctx) =>
    runScenario(ctx, {
      case: 'replicas',
      fault: replicasCase.fault(ctx.short),
      sim: {
        seed: 9004,
        size: ctx.short ? 4_000 : 15_000,
        rateLimit: ctx.short ? 40 : 60,
        ratePeriodMs: 1000,
      },
      services: ['projector', 'ingest-repcard'],
      async inject(p, syncId) {
        await p.start('projector', { as: 'projector-b' });
        await waitForPages(p.pool, syncId, 5);
        ctx.say('replicas: SIGSTOP to projector-b');
        p.service('projector-b').freeze();
        try {
          await sleep(SESSION_TIMEOUT_MS + 15_000);
        } finally {
          p.service('projector-b').thaw();
        }
        ctx.say('replicas: SIGCONT to projector-b');
      },
    }),
};
