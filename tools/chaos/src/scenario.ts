import { errorMessage } from '@tributary/core';
import type { RepcardSimulatorOptions } from '../../sim-repcard/src';
import { checkRepcard, checkTallies, settledRuns, type Expect } from './check/repcard';
import { addTallies, describeTally, type Tally } from './check/tally';
import { requestSync, startChaosPipeline, type ChaosPipeline, type ServiceName } from './pipeline';
import { untilExact } from './recover';
import type { CaseContext, CaseResult } from './types';
import { checkWebhooks, startWebhookTraffic, type WebhookTraffic } from './webhook-traffic';

export interface Scenario {
  case: string;
  fault: string;
  sim: RepcardSimulatorOptions;
  /** Services started (and ready) before the sync. */
  services: ServiceName[];
  /** Extra environment of every service. */
  env?: NodeJS.ProcessEnv;
  /** Signed webhook traffic at this rate during the sync (needs the gateway). */
  webhooksPerSec?: number;
  /** Before the services start (e.g. the registry down); returns when they may be waited for. */
  beforeServices?(p: ChaosPipeline): Promise<void>;
  /** The fault, once the sync runs; resolves at the fault's end, with notes. */
  inject(p: ChaosPipeline, syncId: string): Promise<string[] | void>;
  /** What a record should look like when exact (default: as served). */
  expect?: Expect;
  /** How long the system may take to become exact after the fault (default 5 min). */
  recoverTimeoutMs?: number;
  /** After recovery: more assertions (notes that start with 'FAIL' fail the case). */
  after?(p: ChaosPipeline, syncId: string): Promise<string[]>;
}

/** Everything of the pipeline against its sources: RepCard tables, webhook deliveries, the run settled. */
async function checkAll(
  p: ChaosPipeline,
  syncIds: string[],
  traffic: WebhookTraffic | undefined,
  expect?: Expect,
): Promise<Tally> {
  const settled = await settledRuns(p.pool, syncIds);
  const pending: Tally = {
    checked: 0,
    lost: 0,
    doubled: 0,
    differs: syncIds.length - settled.size,
    samples: [],
  };
  if (pending.differs > 0) pending.samples.push('the sync run is not settled yet');
  const repcard = await checkRepcard(p.pool, p.sim, expect ? { expect } : {});
  const webhooks = traffic ? await checkWebhooks(p.pool, traffic) : undefined;
  return addTallies(pending, repcard, ...(webhooks ? [webhooks] : []));
}

/**
 * The shape every RepCard case shares: an isolated pipeline, a full sync (and webhook traffic),
 * the fault, then the read model watched until it equals the source; counts, tallies, time.
 */
export async function runScenario(ctx: CaseContext, s: Scenario): Promise<CaseResult> {
  const notes: string[] = [];
  const p = await startChaosPipeline(s.sim, { say: ctx.say, env: s.env ?? {}, logDir: ctx.logDir });
  let traffic: WebhookTraffic | undefined;
  try {
    await s.beforeServices?.(p);
    // All at once: the projector migrates the read models before it consumes, the others need none.
    await Promise.all(s.services.map((n) => p.start(n)));
    ctx.say(`${s.case}: services ready (${s.services.join(', ')})`);
    if (s.webhooksPerSec)
      traffic = startWebhookTraffic({
        baseUrl: () => p.gatewayUrl(),
        secret: p.webhookSecret,
        ratePerSec: s.webhooksPerSec,
      });
    const syncId = await requestSync(p, 'repcard');
    ctx.say(
      `${s.case}: full RepCard sync ${syncId} requested (${Object.values(p.sim.dataset.counts()).reduce((a, b) => a + b, 0)} records)`,
    );
    notes.push(...((await s.inject(p, syncId)) ?? []));
    const faultEnd = Date.now();
    ctx.say(`${s.case}: fault over; waiting for the read model to equal the source`);
    await traffic?.stop();
    const { tally, recoverMs } = await untilExact(() => checkAll(p, [syncId], traffic, s.expect), {
      since: faultEnd,
      timeoutMs: s.recoverTimeoutMs ?? 300_000,
    });
    const tallies = await checkTallies(p.pool, [syncId]);
    tally.doubled += tallies.excess;
    notes.push(...tallies.samples.map((t) => `FAIL tally above fetched: ${t}`));
    if (recoverMs === undefined) notes.push(`FAIL not exact: ${describeTally(tally)}`);
    if (traffic?.abandoned)
      notes.push(`FAIL ${traffic.abandoned} webhook deliveries never answered 2xx after the fault`);
    if (traffic)
      notes.push(
        `webhooks: ${traffic.accepted.size} accepted, ${traffic.duplicates.size} duplicates, ${traffic.retries} retried attempts, ${traffic.abandoned} never answered 2xx`,
      );
    const restarts = [...p.services.values()].map((sv) => `${sv.name}:${sv.exits.length}`).join(' ');
    notes.push(`exits (kills and crashes) per service: ${restarts}`);
    if (s.after) notes.push(...(await s.after(p, syncId)));
    const ok = !notes.some((n) => n.startsWith('FAIL'));
    return {
      case: s.case,
      fault: s.fault,
      checked: tally.checked,
      lost: tally.lost,
      doubled: tally.doubled,
      recoverMs,
      ok,
      notes,
    };
  } catch (err) {
    notes.push(`FAIL ${errorMessage(err)}`);
    return {
      case: s.case,
      fault: s.fault,
      checked: 0,
      lost: 0,
      doubled: 0,
      recoverMs: undefined,
      ok: false,
      notes,
    };
  } finally {
    await traffic?.stop().catch(() => undefined);
    await p.close();
  }
}
