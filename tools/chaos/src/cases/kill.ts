import { sleep } from '@tributary/core';
import { settledRuns } from '../check/repcard';
import type { ServiceName } from '../pipeline';
import { between } from '../recover';
import { runScenario } from '../scenario';
import type { ChaosCase } from '../types';

const SERVICES: ServiceName[] = ['projector', 'ingest-repcard', 'webhook-gateway', 'scheduler'];

/**
 * kill -9 of every service at random points of a full RepCard sync with webhook traffic: each kill
 * picks a service at random (every one is killed at least once), the supervisor restarts it at
 * once, and the next kill comes 1-6 s later, whether the restarted one is ready or not.
 */
export const killCase: ChaosCase = {
  name: 'kill',
  fault: (short) =>
    `kill -9 of every service at random points (${short ? 6 : 16} kills) during a full sync + webhooks`,
  run: (ctx) =>
    runScenario(ctx, {
      case: 'kill',
      fault: killCase.fault(ctx.short),
      sim: {
        seed: 9001,
        size: ctx.short ? 3_000 : 20_000,
        rateLimit: ctx.short ? 25 : 40,
        ratePeriodMs: 1000,
      },
      services: SERVICES,
      env: { INGEST_REPCARD_SESSION_TIMEOUT_MS: '6000' },
      webhooksPerSec: ctx.short ? 10 : 25,
      async inject(p, syncId) {
        const kills = ctx.short ? 6 : 16;
        const order = [
          ...SERVICES,
          ...Array.from({ length: kills - SERVICES.length }, () => SERVICES[between(0, SERVICES.length)]!),
        ];
        order.sort(() => Math.random() - 0.5);
        const done: string[] = [];
        for (const name of order) {
          await sleep(between(1_000, 6_000));
          if ((await settledRuns(p.pool, [syncId])).size > 0 && done.length >= SERVICES.length) break;
          ctx.say(`kill: kill -9 ${name}`);
          await p.service(name).kill9();
          done.push(name);
        }
        const notes = [`killed: ${done.join(', ')}`];
        if (SERVICES.some((s) => !done.includes(s))) notes.push('FAIL not every service was killed');
        return notes;
      },
    }),
};
