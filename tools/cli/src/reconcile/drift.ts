import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { RecordObservedContract, entityTopic, type EntityOf, type Source } from '@tributary/contracts';
import { sleep, ValidationError } from '@tributary/core';
import { storedRowReader } from '@tributary/read-model';
import {
  driftReport,
  driftRequests,
  driftTargetsFor,
  expectedDurationMs,
  repairEvents,
  runDriftSample,
  type DriftReport,
  type DriftSample,
  type SourceAccess,
} from '@tributary/sync';
import { CliExit, EXIT } from '../exit-codes';
import { withReadModels } from '../read-model-connection';
import { confirm, reconcilePublisher } from './cli-kafka';
import { driftTable } from './drift-format';
import { formatDuration } from './format';

export interface DriftCliOptions {
  sample: number;
  entities?: string[];
  repair?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** The report again, from the same source answers against the rows as they are now (no request). */
async function recheck(pool: Pool, source: Source, samples: readonly DriftSample[], requests: number) {
  const stored = storedRowReader(pool);
  const targets = driftTargetsFor(source, { size: 1, entities: samples.map((s) => s.entity) });
  const compared = [];
  for (const s of samples) {
    const t = targets.find((x) => x.entity === s.entity)!;
    const rows = await stored.rows(
      t.table,
      { column: t.key, type: t.keyType },
      s.records.map((r) => r.id),
    );
    compared.push({ entity: s.entity, records: s.records, stored: rows });
  }
  return driftReport(source, compared, requests);
}

/** Publishes the repairs (origin `repair`) on their entity topics; resolves with how many. */
async function publishRepairs(
  source: Source,
  report: DriftReport,
  samples: readonly DriftSample[],
): Promise<number> {
  const events = repairEvents(source, report, samples, new Date(), randomUUID);
  const publisher = await reconcilePublisher();
  try {
    await publisher.publish(
      events.map((e) => ({
        contract: RecordObservedContract(entityTopic(source, e.entity as EntityOf<Source>)),
        key: e.id,
        value: e,
      })),
    );
  } finally {
    await publisher.close();
  }
  return events.length;
}

/**
 * `tributary reconcile <source> --sample N [--repair]` (issue 13 item 3): N records of each entity
 * read from the source, compared with the stored rows (entity, id, field, stored, source). With
 * `--repair`, each drifted record's source answer is published as a repair event, which the
 * projector writes even when its version is older than the stored one (ADR 0024); then the same
 * answers are compared again once the projector applied them. Exit 0 clean, 3 drift remains.
 */
export async function reconcileDrift(
  source: Source,
  opts: DriftCliOptions,
  access: SourceAccess,
): Promise<number> {
  const say = (line: string) => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
  const options = { size: opts.sample, ...(opts.entities ? { entities: opts.entities } : {}) };
  let requests: number;
  try {
    requests = driftRequests(source, options, access.curagenesis.pageSize);
  } catch (err) {
    if (err instanceof ValidationError) throw new CliExit(EXIT.usage, `--${err.message}`);
    throw err;
  }
  const budget = { limit: access.limit, periodMs: access.periodMs, available: access.budget.available() };
  const durationMs = expectedDurationMs(requests, budget, 150, 1);
  const plan = `${source} drift sample: ${opts.sample} records per entity\ncost: up to ${requests} request${requests === 1 ? '' : 's'}, about ${formatDuration(durationMs)} at ${access.limit} per ${formatDuration(access.periodMs)}`;
  if (opts.dryRun) {
    if (opts.json)
      process.stdout.write(
        `${JSON.stringify({ plan: { requests, expectedSeconds: Math.ceil(durationMs / 1000) } }, null, 2)}\n`,
      );
    else say(plan);
    return EXIT.ok;
  }
  say(plan);
  if (access.demo) say('(no API key set: asking the simulator of `npm start`)');
  if (!opts.yes && process.stdin.isTTY && process.stdout.isTTY && !(await confirm('Run it? [y/N] ')))
    throw new CliExit(EXIT.failed, 'not run');
  return withReadModels(async (pool) => {
    const { report, samples } = await runDriftSample(source, options, {
      client: access.client,
      stored: storedRowReader(pool),
      now: () => new Date(),
      historyStart: access.repcard.historyStart,
      pageSize: access.curagenesis.pageSize,
    });
    if (!opts.json) say(driftTable(report));
    let after: DriftReport | undefined;
    let repaired = 0;
    if (opts.repair && report.verdict === 'drift') {
      repaired = await publishRepairs(source, report, samples);
      say(`\n${repaired} repair events published; waiting for the projector`);
      after = await waitForRepairs(pool, source, samples, report.requests);
      if (!opts.json) say(`\nchecking again (the same source answers, no request):\n${driftTable(after)}`);
    }
    if (opts.json) {
      const out = {
        plan: { requests },
        drift: report,
        ...(opts.repair ? { repair: { published: repaired, report: after ?? null } } : {}),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    }
    return (after ?? report).verdict === 'drift' ? EXIT.gap : EXIT.ok;
  });
}

/** Compares again until nothing drifts or `timeoutMs` passed (the projector applies the repairs). */
async function waitForRepairs(
  pool: Pool,
  source: Source,
  samples: readonly DriftSample[],
  requests: number,
  timeoutMs = 60_000,
): Promise<DriftReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await recheck(pool, source, samples, requests);
    if (report.verdict === 'clean' || Date.now() > deadline) return report;
    await sleep(250);
  }
}
