import { errorMessage } from '@tributary/core';
import { differences } from '../../../../services/ingest-curagenesis/test/compare';
import { settledRuns } from '../check/repcard';
import { describeTally, type Tally } from '../check/tally';
import { requestSync, startChaosPipeline } from '../pipeline';
import {
  checkCuragenesisPoisoned,
  curaPoisonFaults,
  curagenesisPoison,
  impossibleCuraDates,
  REFUSED_ORDER,
  REFUSED_PRACTICE,
} from '../poison/curagenesis';
import { untilPoisonIsolated } from '../poison/isolation';
import { deadLetters, letterFor, sanitizedRecords } from '../poison/dead-letters';
import { untilExact } from '../recover';
import type { CaseContext, CaseResult, ChaosCase } from '../types';

/**
 * Poison through the CuraGenesis API (the RepCard API's is in `poison`): practices and orders with
 * NUL text and keys, a lone surrogate, 1e20, 30 February and a 2 MB string, fetched by a full sync.
 * The rest is projected, the refused ones are in the DLQ with their error, the others stored as
 * U+FFFD and noted; after the fix at the source a full re-sync makes the read model exact.
 */
export const poisonApiCase: ChaosCase = {
  name: 'poison-api',
  fault: () => 'poison records via the CuraGenesis API (practices and orders, same kinds)',
  run: (ctx) => runPoisonApi(ctx),
};

const empty = (): Tally => ({ checked: 0, lost: 0, doubled: 0, differs: 0, samples: [] });

async function runPoisonApi(ctx: CaseContext): Promise<CaseResult> {
  const notes: string[] = [];
  const fail = (line: string) => notes.push(`FAIL ${line}`);
  const p = await startChaosPipeline(
    { seed: 9007, size: 0 },
    {
      say: ctx.say,
      logDir: ctx.logDir,
      curagenesis: { seed: 9007, practices: ctx.short ? 80 : 400, orders: ctx.short ? 400 : 4_000 },
    },
  );
  const cura = p.cura!;
  const poison = curagenesisPoison(cura);
  cura.setFaults(curaPoisonFaults(poison));
  const result = (t: Tally, recoverMs: number | undefined): CaseResult => ({
    case: 'poison-api',
    fault: poisonApiCase.fault(ctx.short),
    checked: t.checked,
    lost: t.lost,
    doubled: t.doubled,
    recoverMs,
    ok: !notes.some((n) => n.startsWith('FAIL')),
    notes,
  });
  try {
    await Promise.all([p.start('projector'), p.start('ingest-curagenesis')]);
    const t0 = Date.now();
    const syncId = await requestSync(p, 'curagenesis');
    ctx.say(`poison-api: full CuraGenesis sync ${syncId} requested`);
    const isolated = await untilPoisonIsolated({
      pool: p.pool,
      syncId,
      since: t0,
      short: ctx.short,
      check: () => checkCuragenesisPoisoned(p.pool, cura, poison),
      notes,
      fail,
    });

    const letters = await deadLetters(p.namespace, ['curagenesis.practices.v1', 'curagenesis.orders.v1']);
    const sanitized = [...(await sanitizedRecords(p.pool))];
    const expectWhere = (id: string, kind: string, refused: boolean) => {
      const letter = letterFor(letters, id);
      if (refused) {
        if (!letter?.errorCode || !letter.error) fail(`${id} (${kind}) is not in the DLQ with its error`);
        else notes.push(`${id} ${kind}: DLQ ${letter.errorCode}: ${letter.error.slice(0, 90)}`);
      } else if (
        ['nul-text', 'nul-key', 'lone-surrogate'].includes(kind) &&
        !sanitized.some((k) => k.endsWith(`:${id}`))
      ) {
        fail(`${id} (${kind}) not noted in projector_sanitized_records`);
      }
    };
    for (const [id, kind] of Object.entries(poison.practices))
      expectWhere(id, kind, REFUSED_PRACTICE.has(kind));
    for (const [id, kind] of Object.entries(poison.orders)) expectWhere(id, kind, REFUSED_ORDER.has(kind));

    for (const problem of await impossibleCuraDates(
      p.pool,
      poison,
      (id) => letterFor(letters, id) !== undefined,
    ))
      fail(problem);

    // The fix at the source: the API serves the records corrected (the practices as a new version).
    cura.setFaults({});
    cura.mutate({ practices: { update: Object.keys(poison.practices) } });
    const fixAt = Date.now();
    const resync = await requestSync(p, 'curagenesis');
    ctx.say(`poison-api: fixed at the source; re-sync ${resync} requested`);
    const total = cura.dataset.countPractices() + cura.dataset.countOrders();
    const exact = await untilExact(
      async () => {
        const diffs = await differences(p.pool, cura, 1_000);
        const missing = diffs.filter((d) => d.problem === 'missing').length;
        const settled = (await settledRuns(p.pool, [resync])).size;
        return {
          checked: total,
          lost: missing,
          doubled: 0,
          differs: diffs.length - missing + (settled ? 0 : 1),
          samples: diffs.slice(0, 4).map((d) => `${d.entity} ${d.id}: ${d.problem.slice(0, 160)}`),
        };
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
    return result(empty(), undefined);
  } finally {
    await p.close();
  }
}
