import { sleep } from '@tributary/core';
import { waitForPages } from '../progress';
import { runScenario } from '../scenario';
import { ensureChaosStack, restartPostgresImmediate, stopPostgresImmediate } from '../stack';
import type { ChaosCase } from '../types';

/**
 * PostgreSQL killed mid-transaction (`pg_ctl restart -m immediate` while the projector writes a
 * sync), then, a little later, stopped for minutes and started again. The registry keeps its
 * schemas in the same server, so it is down too; the gateway's dedup table as well.
 */
export const postgresCase: ChaosCase = {
  name: 'postgres',
  fault: (short) =>
    `PostgreSQL restarted mid-transaction, then stopped ${short ? 30 : 360} s, mid-sync + webhooks`,
  run: (ctx) =>
    runScenario(ctx, {
      case: 'postgres',
      fault: postgresCase.fault(ctx.short),
      sim: {
        seed: 9003,
        size: ctx.short ? 3_000 : 15_000,
        rateLimit: ctx.short ? 30 : 40,
        ratePeriodMs: 1000,
      },
      services: ['projector', 'ingest-repcard', 'webhook-gateway'],
      webhooksPerSec: 10,
      recoverTimeoutMs: 420_000,
      async inject(p, syncId) {
        const s = ctx.stack.settings;
        await waitForPages(p.pool, syncId, 3);
        ctx.say('postgres: pg_ctl restart -m immediate');
        restartPostgresImmediate(s);
        await waitForPages(p.pool, syncId, 8);
        ctx.say(`postgres: pg_ctl stop -m immediate for ${ctx.short ? 30 : 360} s`);
        stopPostgresImmediate(s);
        try {
          await sleep(ctx.short ? 30_000 : 360_000);
        } finally {
          await ensureChaosStack(s, ctx.say);
        }
        ctx.say('postgres: started again');
      },
    }),
};
