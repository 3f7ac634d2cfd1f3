import { errorMessage } from '@tributary/core';
import { countsFor } from '../../../sim-repcard/src';
import { checkRepcard, settledRuns } from '../check/repcard';
import { addTallies, describeTally, type Tally } from '../check/tally';
import { requestSync, startChaosPipeline } from '../pipeline';
import { untilPoisonIsolated } from '../poison/isolation';
import { deadLetters, letterFor, sanitizedRecords } from '../poison/dead-letters';
import {
  impossibleDates,
  poisonFaults,
  REFUSED_KINDS,
  repcardPoison,
  whilePoisoned,
} from '../poison/repcard';
import { poisonWebhooks, practiceRows, REFUSED, sendAll } from '../poison/webhooks';
import { untilExact } from '../recover';
import type { ChaosCase, CaseContext, CaseResult } from '../types';
import { checkWebhooks, startWebhookTraffic } from '../webhook-traffic';

const REPCARD_DLQS = ['repcard.customers.v1', 'repcard.appointments.v1'];

/**
 * Poison through the RepCard API and the webhook gateway: NUL in text and in a JSON key, a lone
 * UTF-16 surrogate, 1e20 in an integer field, 30 February, a 2 MB string. Then: everything else is
 * projected within seconds; what PostgreSQL refuses is in the DLQ with its error; NUL and surrogates
 * are stored as U+FFFD and noted; after the fix at the source a re-sync makes the read model exact.
 */
export const poisonCase: ChaosCase = {
  name: 'poison',
  fault: () =>
    'poison records via the RepCard API and webhooks (NUL text/key, lone surrogate, 1e20, 30 Feb, 2 MB)',
  run: (ctx) => runPoison(ctx),
};

async function runPoison(ctx: CaseContext): Promise<CaseResult> {
  const notes: string[] = [];
  const fail = (line: string) => notes.push(`FAIL ${line}`);
  const size = ctx.short ? 1_500 : 6_000;
  const poisoned = repcardPoison(countsFor(size).customers);
  const p = await startChaosPipeline(
    { seed: 9006, size, rateLimit: 100, ratePeriodMs: 1000, faults: poisonFaults(poisoned) },
    { say: ctx.say, logDir: ctx.logDir },
  );
  const result = (tally: Tally, recoverMs: number | undefined): CaseResult => ({
    case: 'poison',
    fault: poisonCase.fault(ctx.short),
    checked: tally.checked,
    lost: tally.lost,
    doubled: tally.doubled,
    recoverMs,
    ok: !notes.some((n) => n.startsWith('FAIL')),
    notes,
  });
  try {
    await Promise.all([p.start('projector'), p.start('ingest-repcard'), p.start('webhook-gateway')]);
    const base = await p.gatewayUrl();

    // 1. The poison arrives: a full RepCard sync, poisoned webhooks, then ordinary webhooks.
    const t0 = Date.now();
    const syncId = await requestSync(p, 'repcard');
    ctx.say(
      `poison: full RepCard sync ${syncId} requested; sending the poisoned webhooks, then ordinary ones`,
    );
    const hooks = poisonWebhooks(p.namespace.replace(/[^a-z0-9]/g, ''));
    await sendAll(base, p.webhookSecret, hooks);
    for (const h of hooks) {
      const want = h.kind === 'huge-string' ? 413 : 202;
      if (h.status !== want) fail(`webhook with ${h.kind} answered ${h.status}, expected ${want}`);
    }
    const traffic = startWebhookTraffic({
      baseUrl: async () => base,
      secret: p.webhookSecret,
      ratePerSec: 20,
      orders: 100,
    });
    await traffic.stop();
    const sentAt = Date.now();
    const accepted = {
      accepted: new Set([
        ...traffic.accepted,
        ...hooks.filter((h) => h.status === 202).map((h) => h.delivery.id),
      ]),
      duplicates: traffic.duplicates,
    };
    const webhooksIn = await untilExact(() => checkWebhooks(p.pool, accepted), {
      since: sentAt,
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    notes.push(
      `ordinary webhooks after the poisoned ones: all stored ${webhooksIn.recoverMs === undefined ? 'NEVER' : `${(webhooksIn.recoverMs / 1000).toFixed(1)} s after the last was answered`}`,
    );
    if (webhooksIn.recoverMs === undefined || webhooksIn.recoverMs > 10_000)
      fail(`webhooks after the poison not projected within 10 s: ${describeTally(webhooksIn.tally)}`);

    const isolated = await untilPoisonIsolated({
      pool: p.pool,
      syncId,
      since: t0,
      short: ctx.short,
      check: () => checkRepcard(p.pool, p.sim, { expect: whilePoisoned(poisoned) }),
      notes,
      fail,
    });

    ctx.say('poison: checking the DLQ and projector_sanitized_records');
    // 2. Where the poison went: the DLQ with its error, or stored as U+FFFD and noted.
    const letters = await deadLetters(p.namespace, [...REPCARD_DLQS, 'curagenesis.practices.v1']);
    const sanitized = await sanitizedRecords(p.pool);
    for (const x of poisoned) {
      const id = String(p.sim.dataset.idOf(x.entity, x.index));
      const letter = letterFor(letters, id);
      if (REFUSED_KINDS.has(x.kind)) {
        if (!letter) fail(`${x.entity} ${id} (${x.kind}) is not in the DLQ`);
        else if (!letter.errorCode || !letter.error)
          fail(`${x.entity} ${id} (${x.kind}) dead letter without its error`);
        else notes.push(`${x.entity} ${x.kind}: DLQ ${letter.errorCode}: ${letter.error.slice(0, 90)}`);
      } else if (
        ['nul-text', 'nul-key', 'lone-surrogate'].includes(x.kind) &&
        !sanitized.has(`${x.entity}:${id}`)
      ) {
        fail(`${x.entity} ${id} (${x.kind}) not noted in projector_sanitized_records`);
      }
    }
    for (const problem of await impossibleDates(
      p.pool,
      p.sim,
      poisoned,
      (id) => letterFor(letters, id) !== undefined,
    ))
      fail(problem);
    const rows = await practiceRows(
      p.pool,
      hooks.map((h) => h.practiceId),
    );
    for (const h of hooks.filter((x) => x.status === 202)) {
      const letter = letterFor(letters, h.practiceId);
      if (h.kind === 'impossible-date') {
        const at = rows.get(h.practiceId)?.activated_at;
        if (at)
          fail(
            `webhook practice ${h.practiceId}: activatedAt "2025-02-30T10:00:00.000Z" stored as activated_at ${at.toISOString()} (a different, real date)`,
          );
        else if (!rows.has(h.practiceId) && !letter)
          fail(`webhook practice ${h.practiceId} (impossible-date) neither stored nor dead-lettered`);
        continue;
      }
      if (h.kind === 'huge-string') continue;
      if (REFUSED.has(h.kind) && !letter)
        fail(`webhook practice ${h.practiceId} (${h.kind}) is not in the DLQ`);
      if (!REFUSED.has(h.kind) && ![...sanitized].some((k) => k.endsWith(`:${h.practiceId}`)))
        fail(
          `webhook practice ${h.practiceId} (${h.kind}) stored ${rows.has(h.practiceId) ? '' : 'NOT '}but not noted as sanitized`,
        );
    }

    // 3. The fix at the source: the simulator serves the records corrected (a new version), CuraGenesis
    // sends the practices again; a re-sync then makes the read model exact.
    p.sim.setFaults({});
    for (const entity of new Set(poisoned.map((x) => x.entity)))
      p.sim.mutate({ entity, update: poisoned.filter((x) => x.entity === entity).map((x) => x.index) });
    const fixAt = Date.now();
    const fixes = hooks.map((h) => ({ delivery: h.clean, status: undefined as number | undefined }));
    await sendAll(base, p.webhookSecret, fixes);
    const resync = await requestSync(p, 'repcard');
    ctx.say(`poison: fixed at the source; re-sync ${resync} requested`);
    const fixedDeliveries = {
      accepted: new Set([
        ...accepted.accepted,
        ...fixes.filter((f) => f.status === 202).map((f) => f.delivery.id),
      ]),
      duplicates: accepted.duplicates,
    };
    const exact = await untilExact(
      async () => {
        const settled = await settledRuns(p.pool, [resync]);
        const repcard = await checkRepcard(p.pool, p.sim);
        const webhooks = await checkWebhooks(p.pool, fixedDeliveries);
        const practices = await practiceRows(
          p.pool,
          hooks.map((h) => h.practiceId),
        );
        const wrong = hooks.filter((h) => {
          const row = practices.get(h.practiceId);
          const data = h.clean.body.data as Record<string, unknown>;
          return (
            !row ||
            row.specialty !== data.specialty ||
            row.state !== data.state ||
            row.total_orders !== data.totalOrders
          );
        });
        const extra: Tally = {
          checked: hooks.length,
          lost: 0,
          doubled: 0,
          differs: wrong.length + (settled.size ? 0 : 1),
          samples: wrong.map((h) => `practice ${h.practiceId} not fixed`),
        };
        return addTallies(repcard, webhooks, extra);
      },
      { since: fixAt, timeoutMs: 180_000 },
    );
    if (exact.recoverMs === undefined)
      fail(`after the fix and a re-sync the read model is not exact: ${describeTally(exact.tally)}`);
    // The table counts what the poison cost while it was served, or what is still wrong after the fix.
    const worst = {
      ...exact.tally,
      lost: Math.max(isolated.tally.lost, exact.tally.lost),
      doubled: Math.max(isolated.tally.doubled, exact.tally.doubled),
    };
    return result(worst, exact.recoverMs);
  } catch (err) {
    fail(errorMessage(err));
    return result({ checked: 0, lost: 0, doubled: 0, differs: 0, samples: [] }, undefined);
  } finally {
    await p.close();
  }
}
