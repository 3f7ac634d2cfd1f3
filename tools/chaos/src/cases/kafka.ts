import { sleep } from '@tributary/core';
import { waitForPages } from '../progress';
import { runScenario } from '../scenario';
import { pauseKafka, resumeKafka } from '../stack';
import type { ChaosCase } from '../types';

/**
 * The broker frozen (SIGSTOP of its JVM: connections stay open, nothing answers) in the middle of a
 * full sync with webhook traffic, then resumed (SIGCONT). Services that give up meanwhile exit and
 * are restarted by their supervisor; the webhook sender retries what the gateway answers 503.
 */
export const kafkaCase: ChaosCase = {
  name: 'kafka',
  fault: (short) => `Kafka paused ${short ? 15 : 90} s (SIGSTOP) and resumed, mid-sync + webhooks`,
  run: (ctx) =>
    runScenario(ctx, {
      case: 'kafka',
      fault: kafkaCase.fault(ctx.short),
      sim: {
        seed: 9002,
        size: ctx.short ? 3_000 : 15_000,
        rateLimit: ctx.short ? 40 : 60,
        ratePeriodMs: 1000,
      },
      services: ['projector', 'ingest-repcard', 'webhook-gateway'],
      env: { INGEST_REPCARD_SESSION_TIMEOUT_MS: '10000' },
      webhooksPerSec: 10,
      async inject(p, syncId) {
        await waitForPages(p.pool, syncId, 5);
        ctx.say('kafka: SIGSTOP to the broker');
        pauseKafka(ctx.stack.settings);
        try {
          await sleep(ctx.short ? 15_000 : 90_000);
        } finally {
          resumeKafka(ctx.stack.settings);
        }
        ctx.say('kafka: SIGCONT to the broker');
      },
    }),
};
