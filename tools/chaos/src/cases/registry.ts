import { sleep } from '@tributary/core';
import { waitForPages } from '../progress';
import { runScenario } from '../scenario';
import { ensureChaosStack, stopRegistry } from '../stack';
import type { ChaosCase } from '../types';

/**
 * The schema registry down when the services start (they cannot register their contracts: they
 * wait or exit and are restarted), started again; then down again in the middle of the sync, while
 * the projector is killed, so that its new incarnation must decode without the registry's help.
 */
export const registryCase: ChaosCase = {
  name: 'registry',
  fault: (short) =>
    `schema registry down at start (${short ? 20 : 60} s) and mid-run (${short ? 30 : 90} s, projector killed meanwhile)`,
  run: (ctx) => {
    const s = ctx.stack.settings;
    return runScenario(ctx, {
      case: 'registry',
      fault: registryCase.fault(ctx.short),
      sim: {
        seed: 9005,
        size: ctx.short ? 3_000 : 12_000,
        rateLimit: ctx.short ? 40 : 60,
        ratePeriodMs: 1000,
      },
      services: ['projector', 'ingest-repcard', 'webhook-gateway'],
      webhooksPerSec: 5,
      async beforeServices(p) {
        ctx.say('registry: stopped before the services start');
        await stopRegistry(s);
        void (async () => {
          await sleep(ctx.short ? 20_000 : 60_000);
          ctx.say('registry: starting again');
          await ensureChaosStack(s, ctx.say);
        })();
        void p;
      },
      async inject(p, syncId) {
        await waitForPages(p.pool, syncId, 5);
        ctx.say('registry: stopped mid-run; projector killed');
        await stopRegistry(s);
        await p.service('projector').kill9();
        try {
          await sleep(ctx.short ? 30_000 : 90_000);
        } finally {
          await ensureChaosStack(s, ctx.say);
        }
        ctx.say('registry: running again');
      },
    });
  },
};
