import { join } from 'node:path';
import { errorMessage } from '@tributary/core';
import { hideKafkajsTimeoutWarning } from '@tributary/kafka';
import { CASES } from './cases';
import { chaosStackSettings, ensureChaosStack, resumeKafka, waitStackHealthy } from './stack';
import { killAllSupervised } from './supervised';
import { resultTable } from './table';
import type { CaseResult } from './types';

const USAGE = `usage: npm run chaos
  CHAOS_ONLY=kill,poison,...   the cases to run (default all: ${CASES.map((c) => c.name).join(', ')})
  CHAOS_SHORT=1                small data sets and short outages (CI)
  CHAOS_STACK_DIR, CHAOS_KAFKA_PORT, CHAOS_KAFKA_CONTROLLER_PORT, CHAOS_REGISTRY_PORT, CHAOS_PG_PORT
                               the suite's own stack (default .stack/chaos, ports 29092 29093 28081 25532)
  TRIBUTARY_TEST_LOGS=1        the services' log lines on stderr`;

/**
 * The chaos suite: real services, simulators and a stack of its own; each case a fault, then a check
 * that the read models equal the source. Prints a table (fault, records checked, lost, doubled, time
 * to recover) and exits 1 if any case failed. The stack is left running and healthy whatever happens.
 */
async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  hideKafkajsTimeoutWarning();
  const short = process.env.CHAOS_SHORT === '1' || process.env.CHAOS_SHORT === 'true';
  const only = (process.env.CHAOS_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((n) => !CASES.some((c) => c.name === n));
  if (unknown.length) {
    console.error(`unknown case(s): ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const cases = only.length ? CASES.filter((c) => only.includes(c.name)) : CASES;
  const started = Date.now();
  const say = (line: string): void =>
    console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);
  const settings = chaosStackSettings();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping the services and resuming the broker`);
      killAllSupervised();
      resumeKafka(settings);
      process.exit(130);
    });
  }
  const stack = await ensureChaosStack(settings, say);
  // The services, the CLI and the test database helpers read these.
  Object.assign(process.env, stack.env);
  const logDir = join(settings.logDir, 'chaos');
  say(`service logs: ${logDir}`);
  const results: CaseResult[] = [];
  try {
    for (const c of cases) {
      say(`case ${c.name}: ${c.fault(short)}`);
      const t0 = Date.now();
      let result: CaseResult;
      try {
        result = await c.run({ stack, short, say, logDir });
      } catch (err) {
        result = {
          case: c.name,
          fault: c.fault(short),
          checked: 0,
          lost: 0,
          doubled: 0,
          recoverMs: undefined,
          ok: false,
          notes: [`FAIL ${errorMessage(err)}`],
        };
      }
      // Whatever the case did to the stack, the next one starts on a healthy one.
      await ensureChaosStack(settings, say);
      await waitStackHealthy(settings);
      results.push(result);
      say(`case ${c.name}: ${result.ok ? 'pass' : 'FAIL'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      for (const n of result.notes) say(`  ${n}`);
    }
  } finally {
    await ensureChaosStack(settings, say).catch((err: unknown) =>
      say(`could not restore the chaos stack: ${errorMessage(err)}`),
    );
  }
  console.log(
    `\nchaos suite (${short ? 'short' : 'full'} mode, ${((Date.now() - started) / 60_000).toFixed(1)} min):\n`,
  );
  console.log(resultTable(results));
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    console.log(`\n${failed.length} case(s) failed:`);
    for (const r of failed)
      console.log(`- ${r.case}: ${r.notes.filter((n) => n.startsWith('FAIL')).join('; ')}`);
  }
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[chaos] error: ${errorMessage(err)}`);
    process.exit(1);
  },
);
