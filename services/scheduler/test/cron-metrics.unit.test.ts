import { createMetrics, nullLogger } from '@tributary/observability';
import { parseCron } from '../src/domain/cron';
import { startCronLoop } from '../src/entry-points/cron';

const entries = [{ mode: 'full' as const, cron: parseCron('0 2 * * *') }];
const SLOT = Date.parse('2025-03-10T02:00:00Z');

/** A loop started a second before the slot; `fire()` moves the clock to the slot and runs the one timer. */
function loop(publish: () => Promise<void>) {
  const metrics = createMetrics('scheduler');
  let now = SLOT - 1000;
  let timer: (() => void) | undefined;
  let fired!: () => void;
  const done = new Promise<void>((resolve) => (fired = resolve));
  const cron = startCronLoop({
    entries,
    sources: ['repcard', 'curagenesis'],
    publish: async () => {
      try {
        await publish();
      } finally {
        setImmediate(fired);
      }
    },
    logger: nullLogger(),
    metrics,
    clock: { now: () => new Date(now) },
    timers: { setTimeout: (fn) => (timer = fn), clearTimeout: () => (timer = undefined) },
    attempts: 1,
  });
  const fire = async () => {
    now = SLOT;
    timer!();
    await done;
  };
  return { metrics, cron, fire };
}

describe('cron loop metrics', () => {
  it('when started, then scheduled commands of every source, mode and outcome are at 0 and the slot waited for is exposed', async () => {
    const { metrics, cron } = loop(async () => undefined);
    const text = await metrics.registry.metrics();
    await cron.stop();
    for (const source of ['repcard', 'curagenesis'])
      for (const mode of ['full', 'incremental'])
        for (const outcome of ['published', 'failed'])
          expect(text).toContain(
            `tributary_schedule_commands_total{source="${source}",mode="${mode}",outcome="${outcome}",service="scheduler"} 0`,
          );
    expect(text).toContain(
      `tributary_schedule_next_run_timestamp_seconds{mode="full",service="scheduler"} ${SLOT / 1000}`,
    );
    expect(text).not.toContain('tributary_schedule_last_fired_timestamp_seconds{');
  });

  it('when a slot is published, then its time is the last fired', async () => {
    const { metrics, cron, fire } = loop(async () => undefined);
    await fire();
    const text = await metrics.registry.metrics();
    await cron.stop();
    expect(text).toContain(
      `tributary_schedule_last_fired_timestamp_seconds{mode="full",service="scheduler"} ${SLOT / 1000}`,
    );
  });

  it('when a slot cannot be published, then it is not the last fired and its commands count as failed', async () => {
    const { metrics, cron, fire } = loop(async () => {
      throw new Error('kafka down');
    });
    await fire();
    const text = await metrics.registry.metrics();
    await cron.stop();
    expect(text).not.toContain('tributary_schedule_last_fired_timestamp_seconds{');
    expect(text).toContain(
      'tributary_schedule_commands_total{source="repcard",mode="full",outcome="failed",service="scheduler"} 1',
    );
  });
});
